/**
 * Zen Console's Tasks pages in a real browser against a real `zen start --auth basic`: the
 * signed-in user's tasks, claim and unclaim, the linked form drawn by form-js and prefilled from
 * the instance's variables, Complete with the form's values (seen over the API), a job-based
 * user task shown read-only, the open tasks read page by page (mine and all), axe on each page
 * and a narrow window. One node and one page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { waitFor } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure } from '../support/server-process.js';

const BPMN = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'console-tasks.bpmn'), 'utf8');
const FORM = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'forms', 'console-approval.form'), 'utf8');
// The task's candidate user in console-tasks.bpmn.
const ADMIN = { username: 'tasks-admin', password: 'tasks-admin-password-1' };
const AUTH = { authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}` };

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: tasks', () => {
  let s: ConsoleSession;
  let instanceKey = '';
  let taskKey = '';
  let jobKey = '';
  const started = Date.now();

  beforeAll(async () => {
    s = await openConsole({ args: ['--auth', 'basic', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
    const resources = new FormData();
    resources.append('resources', new Blob([BPMN], { type: 'application/xml' }), 'console-tasks.bpmn');
    resources.append('resources', new Blob([FORM], { type: 'application/json' }), 'console-approval.form');
    const deployed = await s.rest('POST', '/deployments', resources, AUTH);
    expect(deployed.status, JSON.stringify(deployed.json)).toBe(200);
    const created = await s.rest('POST', '/process-instances', { processDefinitionId: 'console-approval', variables: { customer: 'ACME', amount: 120 } }, AUTH);
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    instanceKey = created.json.processInstanceKey;
    expect((await s.rest('POST', '/process-instances', { processDefinitionId: 'console-legacy-task' }, AUTH)).status).toBe(200);
    taskKey = await waitFor('the approval task', async () => {
      const r = await s.rest('POST', '/user-tasks/search', { filter: { processInstanceKey: instanceKey } }, AUTH);
      return r.json.items?.[0]?.userTaskKey as string | undefined;
    });
    jobKey = await waitFor('the job-based user task', async () => {
      const r = await s.rest('POST', '/jobs/search', { filter: { type: 'io.camunda.zeebe:userTask', state: 'CREATED' } }, AUTH);
      return r.json.items?.[0]?.jobKey as string | undefined;
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    console.log(`console tasks: ${Date.now() - started} ms`);
  });
  showServerOutputOnFailure(() => [s?.server]);

  const expectAxeClean = async (what: string) => {
    expect(await axeViolations(s.page), `axe on ${what}`).toEqual([]);
  };

  it('signs in and lists the task offered to the user, and the job-based task read-only', async () => {
    const { page } = s;
    await page.goto(s.ui('/tasks'));
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Tasks');
    expect(await page.getByRole('radio', { name: 'My tasks' }).isChecked()).toBe(true);
    const row = page.locator(`tr[data-task-key="${taskKey}"]`);
    await row.waitFor();
    expect(await row.getByRole('link', { name: 'Approve order' }).getAttribute('href')).toBe(`/ui/tasks/${taskKey}`);
    expect(await row.locator('td').nth(3).textContent()).toBe(ADMIN.username);

    const jobs = page.getByRole('region', { name: 'Job-based user tasks' });
    await jobs.locator(`tr[data-job-key="${jobKey}"]`).waitFor();
    expect(await jobs.locator('tbody tr').first().locator('td').first().textContent()).toBe('legacyReview');
    // Read-only: nothing there to press.
    expect(await jobs.getByRole('button').count()).toBe(0);
    await screenshot(page, 'tasks');
    await expectAxeClean('the tasks page');

    await page.getByRole('radio', { name: 'All open tasks' }).check();
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Open tasks');
    await row.waitFor();
  });

  it('opens the task: the form is prefilled from the variables and read-only until claimed', async () => {
    const { page } = s;
    await page.locator(`tr[data-task-key="${taskKey}"]`).getByRole('link', { name: 'Approve order' }).click();
    await page.waitForURL(`**/ui/tasks/${taskKey}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Approve order');
    await page.locator('.form-sheet[data-ready="true"]').waitFor();
    expect(await page.getByLabel('Customer').inputValue()).toBe('ACME');
    expect(await page.getByLabel('Amount').inputValue()).toBe('120');
    expect(await page.getByLabel('Customer').isEditable()).toBe(false);
    expect(await page.getByRole('button', { name: 'Complete' }).isDisabled()).toBe(true);
    await page.getByText('Claim the task to work on it.').waitFor();
    await expectAxeClean('an unclaimed task');
  });

  it('claims and unclaims the task', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByRole('button', { name: 'Unclaim' }).waitFor();
    await expect.poll(async () => (await s.rest('GET', `/user-tasks/${taskKey}`, undefined, AUTH)).json.assignee).toBe(ADMIN.username);
    await expect.poll(() => page.getByLabel('Customer').isEditable()).toBe(true);

    await page.getByRole('button', { name: 'Unclaim' }).click();
    await page.getByRole('button', { name: 'Claim', exact: true }).waitFor();
    await expect.poll(async () => (await s.rest('GET', `/user-tasks/${taskKey}`, undefined, AUTH)).json.assignee ?? null).toBeNull();
    await expect.poll(() => page.getByLabel('Customer').isEditable()).toBe(false);

    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByRole('button', { name: 'Unclaim' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Complete' }).isEnabled()).toBe(true);
    await screenshot(page, 'task');
  });

  it('refuses to complete with a required field empty, then completes with the form values', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('alert').filter({ hasText: 'Some fields need a value' }).waitFor();
    expect((await s.rest('GET', `/user-tasks/${taskKey}`, undefined, AUTH)).json.state).toBe('CREATED');

    await page.getByLabel('Comment').fill('looks good');
    await expectAxeClean('a claimed task with its form');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('status').filter({ hasText: 'Completed' }).waitFor();

    const instance = await waitFor('the instance to complete', async () => {
      const r = await s.rest('POST', '/process-instances/search', { filter: { processInstanceKey: instanceKey } }, AUTH);
      const item = r.json.items?.[0] as { state: string } | undefined;
      return item?.state === 'COMPLETED' ? item : undefined;
    });
    expect(instance.state).toBe('COMPLETED');
    const variables = await s.rest('POST', '/variables/search', { filter: { processInstanceKey: instanceKey, name: 'comment' } }, AUTH);
    expect(variables.json.items.map((v: { value: string }) => v.value)).toEqual(['"looks good"']);
    await expect.poll(() => page.locator('.notice').filter({ hasText: 'This task is completed' }).count(), { timeout: 15_000 }).toBe(1);
  });

  it('opens a deep link to the finished task, and fits a narrow window', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 400, height: 800 });
    await page.goto(s.ui(`/tasks/${taskKey}`));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Approve order');
    await page.getByText('This task is completed').waitFor();
    expect(await page.getByRole('button', { name: 'Claim', exact: true }).count()).toBe(0);
    await expectAxeClean('a completed task at 400 px');
    await page.goto(s.ui('/tasks'));
    await page.getByText('No open task is assigned or offered to you.').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await expectAxeClean('the tasks page at 400 px');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('pages through the open tasks, mine and all, past the first page', async () => {
    const { page } = s;
    for (let i = 0; i < 3; i++) {
      const r = await s.rest('POST', '/process-instances', { processDefinitionId: 'console-approval', variables: { customer: `paging ${i}`, amount: i } }, AUTH);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
    const open = await waitFor('three open approval tasks', async () => {
      const r = await s.rest('POST', '/user-tasks/search', { filter: { state: 'CREATED', processDefinitionId: 'console-approval' } }, AUTH);
      const keys = (r.json.items ?? []).map((t: { userTaskKey: string }) => t.userTaskKey) as string[];
      return keys.length === 3 ? keys : undefined;
    });
    await page.goto(s.ui('/tasks?rows=2'));
    const rows = page.locator('tr[data-task-key]');
    // My tasks merge several searches: no total, one more page at a time.
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('.show-more [role="status"]').textContent()).toBe('Showing 2 open tasks.');
    await expectAxeClean('the tasks page read in pages');
    await page.getByRole('button', { name: 'Show 2 more open tasks' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    expect(await page.locator('.show-more').count()).toBe(0);
    const shown = () => page.evaluate("[...document.querySelectorAll('tr[data-task-key]')].map((row) => row.dataset.taskKey)") as Promise<string[]>;
    expect([...(await shown())].sort()).toEqual([...open].sort());

    // All open tasks: one search, its total known; a new scope starts at one page again.
    await page.getByRole('radio', { name: 'All open tasks' }).check();
    await expect.poll(() => page.locator('.show-more [role="status"]').textContent(), { timeout: 10_000 }).toBe('Showing 2 of 3 open tasks.');
    expect(await rows.count()).toBe(2);
    await page.getByRole('button', { name: 'Show 1 more open tasks' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    expect([...(await shown())].sort()).toEqual([...open].sort());
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
