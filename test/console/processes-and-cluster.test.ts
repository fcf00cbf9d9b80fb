/**
 * Zen Console in a real browser against a real `zen start`: deploying through the page (file
 * picker and drag and drop), the definition's diagram with live counts, the cluster page, light
 * and dark, a narrow window, and axe-core on each page. One node and one page for the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, dropFile, inPage, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { waitFor } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure } from '../support/server-process.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', name), 'utf8');
const ORDER = fixture('console-order.bpmn');
const INVALID = fixture('server-missing-task-type.bpmn');

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: processes and cluster', () => {
  let s: ConsoleSession;
  let orderKey = '';

  beforeAll(async () => {
    s = await openConsole();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });
  showServerOutputOnFailure(() => [s?.server]);

  const expectAxeClean = async (what: string) => {
    expect(await axeViolations(s.page), `axe on ${what}`).toEqual([]);
  };

  it('leads / to the processes page, with the main navigation and no process yet', async () => {
    const { page } = s;
    await page.goto(s.ui('').replace(/\/ui$/, '/'));
    await page.waitForURL(/\/ui\/processes$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Processes');
    // The title is set in an effect, which runs after the heading is painted.
    await expect.poll(() => page.title()).toBe('Processes · Zen');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Processes', 'Instances', 'Tasks', 'Decisions', 'Cluster']);
    expect(await nav.getByRole('link', { name: 'Processes' }).getAttribute('aria-current')).toBe('page');
    await page.getByText('No process is deployed yet').waitFor();
    await expectAxeClean('the empty processes page');
  });

  it('deploys a .bpmn chosen with the file picker, and lists the process with its version', async () => {
    const { page } = s;
    await page.setInputFiles('#deploy-files', { name: 'console-order.bpmn', mimeType: 'application/xml', buffer: Buffer.from(ORDER) });
    const done = page.locator('.notice.success');
    await done.waitFor();
    expect(await done.textContent()).toContain('process console-order version 1');
    const row = page.getByRole('row', { name: /Console order/ });
    await row.waitFor();
    expect(await row.getByRole('link', { name: 'Console order v1' }).count()).toBe(1);
    const search = await s.rest('POST', '/process-definitions/search', { filter: { processDefinitionId: 'console-order' } });
    orderKey = search.json.items[0].processDefinitionKey;
    expect(await row.getByRole('link', { name: 'Console order', exact: true }).getAttribute('href')).toBe(`/ui/processes/${orderKey}`);
    await screenshot(page, 'processes');
    await expectAxeClean('the processes page with a process');
  });

  it('shows the refusal of an invalid model dropped on the page, naming the element', async () => {
    const { page } = s;
    await dropFile(page.getByTestId('drop-zone'), 'broken.bpmn', INVALID);
    const alert = page.locator('.deploy [role="alert"]');
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain('The deployment was refused.');
    expect(text).toContain('INVALID_ARGUMENT');
    expect(text).toContain('taskWithoutType');
    await expectAxeClean('the processes page showing a refused deployment');
  });

  it('draws the definition with live counts: an active task, an incident, completed start events', async () => {
    const { page } = s;
    for (let i = 0; i < 2; i++) expect((await s.rest('POST', '/process-instances', { processDefinitionKey: orderKey })).status).toBe(200);
    const job = await waitFor('a console-ship job', async () => {
      const r = await s.rest('POST', '/jobs/activation', { type: 'console-ship', maxJobsToActivate: 1, timeout: 600_000, worker: 'console-test', requestTimeout: 1_000 });
      return r.json.jobs?.[0] as { jobKey: string } | undefined;
    });
    expect((await s.rest('POST', `/jobs/${job.jobKey}/failure`, { retries: 0, errorMessage: 'no courier' })).status).toBe(204);

    await page.getByRole('link', { name: 'Console order', exact: true }).click();
    await page.waitForURL(`**/ui/processes/${orderKey}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Console order');
    await page.locator('.diagram-canvas[data-ready="true"] svg').first().waitFor();
    const ship = page.locator('.element-counts[data-element-id="ship"]');
    await expect.poll(() => ship.locator('.count.active').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await ship.locator('.count.incidents').textContent()).toBe('1');
    expect(await page.locator('.element-counts[data-element-id="start"] .count.completed').textContent()).toBe('2');
    // The same numbers as a table, with the element's name from the diagram.
    const shipRow = page.locator('tr[data-element-id="ship"]');
    await expect.poll(() => shipRow.locator('th').textContent()).toBe('Ship order');
    expect(await shipRow.locator('td').allTextContents()).toEqual(['1', '1', '0', '0']);

    // Live: a new instance shows without a reload.
    expect((await s.rest('POST', '/process-instances', { processDefinitionKey: orderKey })).status).toBe(200);
    await expect.poll(() => ship.locator('.count.active').textContent(), { timeout: 15_000 }).toBe('2');
    await screenshot(page, 'process-definition');
    await expectAxeClean('the definition page');
  });

  it('opens a deep link to a definition directly', async () => {
    const { page } = s;
    await page.goto(s.ui(`/processes/${orderKey}`));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Console order');
    await page.locator('.element-counts[data-element-id="ship"]').waitFor();
    await page.goto(s.ui('/processes/123456'));
    await page.locator('[role="alert"]').first().waitFor();
    expect(await page.locator('[role="alert"]').first().textContent()).toContain('NOT_FOUND');
  });

  it('shows the cluster: the node, its partition, the leader and health', async () => {
    const { page } = s;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cluster' }).click();
    await page.waitForURL('**/ui/cluster');
    const partition = page.locator('tr[data-partition-id="1"]');
    await partition.waitFor();
    expect(await partition.locator('td').allTextContents()).toEqual(['node 0', '—', 'healthy']);
    const node = page.locator('[data-node-id="0"]');
    expect(await node.locator('h3').textContent()).toBe('Node 0');
    expect(await node.textContent()).toContain('Partition 1: leader healthy');
    // This node was started without --backup-store.
    await page.getByText('Backups are not configured on this node').waitFor();
    await screenshot(page, 'cluster');
    await expectAxeClean('the cluster page');
  });

  it('follows the system theme, and the toggle overrides and keeps it', async () => {
    const { page } = s;
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const path of ['/processes', `/processes/${orderKey}`, '/cluster']) {
      await page.goto(s.ui(path));
      await page.locator('h1').waitFor();
      await expect.poll(() => inPage(page, 'document.documentElement.dataset.theme')).toBe('dark');
      if (path.startsWith('/processes/')) {
        await page.locator('.element-counts[data-element-id="ship"]').waitFor();
        await screenshot(page, 'process-definition-dark');
      }
      await expectAxeClean(`${path} in the dark theme`);
    }
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await expect.poll(() => inPage(page, 'document.documentElement.dataset.theme')).toBe('light');
    await page.reload();
    await page.getByRole('button', { name: 'Switch to dark theme' }).waitFor();
    await expect.poll(() => inPage(page, 'document.documentElement.dataset.theme')).toBe('light');
    await inPage(page, 'localStorage.clear()');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('works in a narrow window: nothing wider than the screen, the navigation reachable', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      for (const path of ['/processes', `/processes/${orderKey}`, '/cluster']) {
        await page.goto(s.ui(path));
        await page.locator('h1').waitFor();
        expect(await inPage<number>(page, 'document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(400);
        expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cluster' }).isVisible()).toBe(true);
        await expectAxeClean(`${path} at 400 px`);
      }
      await page.goto(s.ui('/processes'));
      await page.getByRole('row', { name: /Console order/ }).waitFor();
      await screenshot(page, 'processes-narrow');
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('moves by keyboard: skip link first, then the navigation', async () => {
    const { page } = s;
    await page.goto(s.ui('/cluster'));
    await page.locator('h1').waitFor();
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Processes');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/processes');
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
