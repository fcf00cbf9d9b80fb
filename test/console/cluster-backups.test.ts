/**
 * The backups on Zen Console's Cluster page, in a real browser against a real `zen start` with a
 * directory backup store (ADR 015): none at first, then one taken through the management port
 * (as operators do) appears with its state and partitions, read through GET /v2/backups; then
 * one taken from the page, after confirming its id (a bad id and one that does not grow are
 * refused with the reason). Axe light and dark, and a narrow window. One node (two partitions)
 * and one page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, inPage, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { showServerOutputOnFailure } from '../support/server-process.js';

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: backups on the Cluster page', () => {
  let s: ConsoleSession;
  let store = '';

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'zen-console-backups-'));
    s = await openConsole({ args: ['--partitions', '2', '--backup-store', 'fs', '--backup-dir', store] });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    if (store) await rm(store, { recursive: true, force: true });
  });
  showServerOutputOnFailure(() => [s?.server]);

  const backups = () => s.page.getByRole('region', { name: 'Backups' });

  it('says there are no backups yet', async () => {
    const { page } = s;
    await page.goto(s.ui('/cluster'));
    await page.getByRole('heading', { name: 'Backups' }).waitFor();
    await page.getByText('No backups yet.').waitFor();
    expect(await backups().count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a backup taken through the management port, with its state and partitions', async () => {
    const { page } = s;
    const taken = await fetch(s.server.systemUrl('/actuator/backups'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ backupId: 5 }) });
    expect(taken.status, await taken.text()).toBe(202);
    const row = backups().locator('tr[data-backup-id="5"]');
    // The page reads the list again by itself; the backup completes in the background.
    await expect.poll(() => row.locator('td').first().locator('.badge').textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    expect(await row.getByRole('rowheader').textContent()).toBe('5');
    expect(await row.getByRole('list', { name: 'Partitions of backup 5' }).getByRole('listitem').allTextContents()).toEqual(['Partition 1: COMPLETED', 'Partition 2: COMPLETED']);
    // The time shown is the one the store reports.
    const listed = (await s.rest('GET', '/backups')).json as { items: { backupId: number; details: { createdAt: string }[] }[] };
    expect(listed.items.map((b) => b.backupId)).toEqual([5]);
    expect(await row.locator('time').getAttribute('datetime')).toBe(listed.items[0]!.details.map((d) => d.createdAt).sort()[0]);
    expect(await page.getByText('No backups yet.').count()).toBe(0);
    await screenshot(page, 'cluster-backups');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('takes a backup from the page once the user confirmed its id', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Take a backup…' }).click();
    const form = page.getByRole('form', { name: 'Confirm the backup' });
    const id = form.getByLabel('Backup id');
    // One past the highest listed.
    expect(await id.inputValue()).toBe('6');
    await id.fill('six');
    await form.getByText('A backup id is a whole number from 1.').waitFor();
    expect(await form.getByRole('button', { name: 'Take the backup' }).isDisabled()).toBe(true);
    expect(await id.getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);

    // An id that does not grow: the node's refusal, with its reason.
    await id.fill('3');
    await form.getByRole('button', { name: 'Take backup 3' }).click();
    await page.getByRole('alert').filter({ hasText: 'must be greater than the last requested backup id 5' }).waitFor();
    expect(await backups().locator('tr[data-backup-id="3"]').count()).toBe(0);

    await id.fill('6');
    await form.getByRole('button', { name: 'Take backup 6' }).click();
    await page.getByRole('status').filter({ hasText: 'Backup 6 requested' }).waitFor();
    expect(await form.count()).toBe(0);
    const row = backups().locator('tr[data-backup-id="6"]');
    await expect.poll(() => row.locator('td').first().locator('.badge').textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    // Newest first.
    expect(await backups().locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-backup-id')))).toEqual(['6', '5']);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('reads well in the dark theme and a narrow window', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 400, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await page.goto(s.ui('/cluster'));
      await backups().locator('tr[data-backup-id="5"]').waitFor();
      expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
