/**
 * Zen Console for a user with few authorizations (`--auth basic --authorizations`): on a task it
 * sees the task and why Claim and Complete are not offered, and gets them once granted
 * UPDATE_USER_TASK; the Decisions, Processes and Instances lists say which permission they need
 * instead of looking empty (the node narrows those searches to what the user may read), and a
 * grant on one decision shows that decision with a note that the list may be partial; its
 * evaluations need READ_DECISION_INSTANCE, and say so until it is granted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { waitFor } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure } from '../support/server-process.js';

const ADMIN = { username: 'restricted-admin', password: 'restricted-admin-password-1' };
const CLERK = { username: 'clerk', password: 'clerk-password-1' };
const basic = (u: { username: string; password: string }) => ({ authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` });
const AS_ADMIN = basic(ADMIN);

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: a restricted user under --authorizations', () => {
  let s: ConsoleSession;
  let taskKey = '';

  const grant = async (resourceType: string, resourceId: string, permission: string) => {
    const body = { ownerType: 'USER', ownerId: CLERK.username, resourceType, resourceId, permissionTypes: [permission] };
    const r = await s.rest('POST', '/authorizations', body, AS_ADMIN);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
  };

  beforeAll(async () => {
    s = await openConsole({ args: ['--auth', 'basic', '--authorizations', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
    const resources = new FormData();
    resources.append('resources', new Blob([readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'console-tasks.bpmn'), 'utf8')], { type: 'application/xml' }), 'console-tasks.bpmn');
    resources.append('resources', new Blob([readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'forms', 'console-approval.form'), 'utf8')], { type: 'application/json' }), 'console-approval.form');
    resources.append('resources', new Blob([discountDmn()], { type: 'application/xml' }), 'pricing.dmn');
    const deployed = await s.rest('POST', '/deployments', resources, AS_ADMIN);
    expect(deployed.status, JSON.stringify(deployed.json)).toBe(200);
    const created = await s.rest('POST', '/process-instances', { processDefinitionId: 'console-approval', variables: { customer: 'ACME', amount: 120 } }, AS_ADMIN);
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const instanceKey = String(created.json.processInstanceKey);
    taskKey = await waitFor('the approval task', async () => {
      const r = await s.rest('POST', '/user-tasks/search', { filter: { processInstanceKey: instanceKey } }, AS_ADMIN);
      return r.json.items?.[0]?.userTaskKey as string | undefined;
    });
    expect((await s.rest('POST', '/users', { ...CLERK, name: 'Clerk' }, AS_ADMIN)).status).toBe(201);
    // Reading its own authorizations lets the console know, rather than guess, what the clerk lacks.
    await grant('AUTHORIZATION', '*', 'READ');
    await grant('PROCESS_DEFINITION', 'console-approval', 'READ_USER_TASK');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });
  showServerOutputOnFailure(() => [s?.server]);

  const offered = async () => {
    const shown: string[] = [];
    for (const name of ['Claim', 'Complete']) if ((await s.page.getByRole('button', { name, exact: true }).count()) > 0) shown.push(name);
    return shown;
  };

  it('shows a task to a user without UPDATE_USER_TASK, and why Claim and Complete are not offered', async () => {
    const { page } = s;
    await page.goto(s.ui(`/tasks/${taskKey}`));
    await page.getByLabel('Username').fill(CLERK.username);
    await page.getByLabel('Password').fill(CLERK.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Approve order', level: 1 }).waitFor();
    await page.getByText('Claiming and assigning is not offered.', { exact: false }).waitFor();
    await page.getByText('It needs the UPDATE_USER_TASK permission on PROCESS_DEFINITION, which you do not hold.', { exact: false }).waitFor();
    expect(await offered()).toEqual([]);
    expect(await page.getByRole('button', { name: 'Show it anyway' }).count()).toBe(0);
    expect(await page.getByText('Claim the task to work on it.').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'task-not-permitted');
    await page.setViewportSize({ width: 400, height: 800 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });

    // The list: only console-approval's tasks may be read, and the page says the list may be partial.
    await page.goto(s.ui('/tasks'));
    await page.getByRole('radio', { name: 'All open tasks' }).check();
    await page.locator(`tr[data-task-key="${taskKey}"]`).waitFor();
    await page.getByText('The user tasks are shown only as far as your authorizations name them.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('offers Claim, then Complete, once UPDATE_USER_TASK is granted', async () => {
    const { page } = s;
    await grant('PROCESS_DEFINITION', 'console-approval', 'UPDATE_USER_TASK');
    // The console reads the user's authorizations when the page loads.
    await page.goto(s.ui(`/tasks/${taskKey}`));
    await page.getByText('Claim the task to work on it.').waitFor();
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await expect.poll(async () => (await s.rest('GET', `/user-tasks/${taskKey}`, undefined, AS_ADMIN)).json.assignee).toBe(CLERK.username);
    await page.getByRole('button', { name: 'Unclaim' }).waitFor();
    // The form reads the task's variables, which READ_USER_TASK on its process allows.
    await expect.poll(() => page.getByRole('button', { name: 'Complete', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByText('is not offered.', { exact: false }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('says the decisions, processes and instances need a permission, instead of listing none', async () => {
    const { page } = s;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decisions' }).click();
    await page.getByText('The decision definitions are not shown. It needs the READ_DECISION_DEFINITION permission on DECISION_DEFINITION, which you do not hold.').waitFor();
    expect(await page.getByText('No decision is deployed yet.', { exact: false }).count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Processes' }).click();
    await page.getByText('The process definitions are not shown. It needs the READ_PROCESS_DEFINITION permission', { exact: false }).waitFor();
    expect(await page.getByText('No process is deployed yet.', { exact: false }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instances' }).click();
    await page.getByText('The process instances are not shown. It needs the READ_PROCESS_INSTANCE permission', { exact: false }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('lists a decision once READ_DECISION_DEFINITION is granted on it, noting the list may be partial', async () => {
    const { page } = s;
    await grant('DECISION_DEFINITION', 'discount', 'READ_DECISION_DEFINITION');
    await page.goto(s.ui('/decisions'));
    const table = page.getByRole('region', { name: 'Decision definitions' });
    await table.getByRole('link', { name: 'Discount', exact: true }).waitFor();
    await page.getByText('The decision definitions are shown only as far as your authorizations name them.').waitFor();
    expect(await page.getByText('are not shown.', { exact: false }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('on a decision, says its evaluations need READ_DECISION_INSTANCE, and shows them once granted', async () => {
    const { page } = s;
    const evaluated = await s.rest('POST', '/decision-definitions/evaluation', { decisionDefinitionId: 'discount', variables: { customer: 'gold', orderSize: 5 } }, AS_ADMIN);
    expect(evaluated.status, JSON.stringify(evaluated.json)).toBe(200);
    await page.getByRole('region', { name: 'Decision definitions' }).getByRole('link', { name: 'Discount', exact: true }).click();
    await page.getByText('The evaluations are not shown. It needs the READ_DECISION_INSTANCE permission on DECISION_DEFINITION, which you do not hold.').waitFor();
    expect(await page.getByText('This decision has not been evaluated yet.').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    // No reload: the console reads the user's authorizations again on each navigation.
    await grant('DECISION_DEFINITION', 'discount', 'READ_DECISION_INSTANCE');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decisions' }).click();
    await page.getByRole('region', { name: 'Decision definitions' }).getByRole('link', { name: 'Discount', exact: true }).click();
    await page.locator(`.evaluation[data-evaluation="${evaluated.json.decisionEvaluationKey}-1"]`).waitFor({ timeout: 15_000 });
    expect(await page.getByText('are not shown.', { exact: false }).count()).toBe(0);
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
