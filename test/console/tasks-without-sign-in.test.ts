/**
 * Zen Console's Tasks pages on a node started with `--auth none`: nobody is signed in, so every
 * open task is shown (and the page says why), the assignee is typed in, and the form can be
 * completed without claiming. In the dark theme, with axe on each page. One node and one page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { waitFor } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure } from '../support/server-process.js';

const BPMN = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'console-tasks.bpmn'), 'utf8');
const FORM = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'forms', 'console-approval.form'), 'utf8');

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: tasks without sign-in', () => {
  let s: ConsoleSession;
  let instanceKey = '';
  let taskKey = '';
  const started = Date.now();

  beforeAll(async () => {
    s = await openConsole();
    await s.page.emulateMedia({ colorScheme: 'dark' });
    const resources = new FormData();
    resources.append('resources', new Blob([BPMN], { type: 'application/xml' }), 'console-tasks.bpmn');
    resources.append('resources', new Blob([FORM], { type: 'application/json' }), 'console-approval.form');
    expect((await s.rest('POST', '/deployments', resources)).status).toBe(200);
    const created = await s.rest('POST', '/process-instances', { processDefinitionId: 'console-approval', variables: { customer: 'Initech', amount: 7 } });
    instanceKey = created.json.processInstanceKey;
    taskKey = await waitFor('the approval task', async () => {
      const r = await s.rest('POST', '/user-tasks/search', { filter: { processInstanceKey: instanceKey } });
      return r.json.items?.[0]?.userTaskKey as string | undefined;
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    console.log(`console tasks without sign-in: ${Date.now() - started} ms`);
  });
  showServerOutputOnFailure(() => [s?.server]);

  const expectAxeClean = async (what: string) => {
    expect(await axeViolations(s.page), `axe on ${what}`).toEqual([]);
  };

  it('shows every open task and says why', async () => {
    const { page } = s;
    await page.goto(s.ui('/tasks'));
    await page.getByText('every open task is shown').waitFor();
    expect(await page.getByRole('radio').count()).toBe(0);
    await page.locator(`tr[data-task-key="${taskKey}"]`).waitFor();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await expectAxeClean('the tasks page, dark');
  });

  it('assigns to a typed-in name and unassigns', async () => {
    const { page } = s;
    await page.goto(s.ui(`/tasks/${taskKey}`));
    await page.locator('.form-sheet[data-ready="true"]').waitFor();
    expect(await page.getByLabel('Customer').inputValue()).toBe('Initech');
    await page.getByLabel('Assignee', { exact: true }).fill('alice');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('button', { name: 'Unassign' }).waitFor();
    expect((await s.rest('GET', `/user-tasks/${taskKey}`)).json.assignee).toBe('alice');
    await page.getByRole('button', { name: 'Unassign' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Unassign' }).count()).toBe(0);
    expect((await s.rest('GET', `/user-tasks/${taskKey}`)).json.assignee).toBeUndefined();
    await expectAxeClean('a task without sign-in, dark');
  });

  it('completes the task without a claim', async () => {
    const { page } = s;
    await page.getByLabel('Comment').fill('no sign-in needed');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('status').filter({ hasText: 'Completed' }).waitFor();
    await waitFor('the instance to complete', async () => {
      const r = await s.rest('POST', '/process-instances/search', { filter: { processInstanceKey: instanceKey } });
      return r.json.items?.[0]?.state === 'COMPLETED' ? true : undefined;
    });
    const variables = await s.rest('POST', '/variables/search', { filter: { processInstanceKey: instanceKey, name: 'comment' } });
    expect(variables.json.items.map((v: { value: string }) => v.value)).toEqual(['"no sign-in needed"']);
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
