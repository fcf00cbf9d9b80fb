/**
 * Zen Console's Identity pages on a node with `--auth basic --authorizations`: the administrator
 * creates a user and a group, puts the user in the group, grants the group a permission, sees
 * them listed and deletes them; a user allowed only to read process definitions then sees the
 * processes without the deploy panel, and an Identity page that explains it cannot be shown;
 * on an instance page it sees why Cancel, Modify, Migrate and Retry are not offered, the
 * administrator sees them. The administrator edits a user's name, email and password, and pages
 * through more mapping rules than one page holds, creates one, makes it a member of a group,
 * finds it with the filter beyond the first page, edits and deletes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IDENTITY_PAGE_SIZE } from '../../console/src/pages/identity/page-size.js';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { REPO_ROOT, showServerOutputOnFailure } from '../support/server-process.js';

const ADMIN = { username: 'identity-admin', password: 'identity-admin-password-1' };
const READER = { username: 'reader', password: 'reader-password-1' };
const basic = (u: { username: string; password: string }) => ({ authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` });

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: Identity under --auth basic --authorizations', () => {
  let s: ConsoleSession;

  beforeAll(async () => {
    s = await openConsole({ args: ['--auth', 'basic', '--authorizations', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
    // Deleting asks first; the test answers yes.
    s.page.on('dialog', (dialog) => void dialog.accept());
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });
  showServerOutputOnFailure(() => [s?.server]);

  const signIn = async (user: { username: string; password: string }, path: string) => {
    const { page } = s;
    await page.goto(s.ui(path));
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('creates a user and a group, adds the user to the group, and grants the group a permission', async () => {
    const { page } = s;
    const started = Date.now();
    await signIn(ADMIN, '/identity');
    await page.getByRole('heading', { name: 'Identity: Users' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Identity' }).waitFor();

    const newUser = page.getByRole('group', { name: 'New user' });
    await newUser.getByLabel('Username', { exact: true }).fill('dora');
    await newUser.getByLabel('Name', { exact: true }).fill('Dora Explorer');
    await newUser.getByLabel('Email').fill('dora@example.com');
    await newUser.getByLabel('Password', { exact: true }).fill('dora-password-1');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'Dora Explorer' }).waitFor();
    await page.getByLabel('Filter users').fill('dora');
    await expect.poll(() => page.locator('table.data-table tbody tr').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'identity-users');

    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Identity: Groups' }).waitFor();
    const newGroup = page.getByRole('group', { name: 'New group' });
    await newGroup.getByLabel('Id', { exact: true }).fill('explorers');
    await newGroup.getByLabel('Name', { exact: true }).fill('Explorers');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('button', { name: 'Members of explorers' }).click();
    await page.getByLabel('Add a user by id').fill('dora');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('list', { name: 'Users of explorers' }).locator('code', { hasText: 'dora' }).waitFor();
    expect((await s.rest('POST', '/groups/explorers/users/search', {}, basic(ADMIN))).json.items).toMatchObject([{ username: 'dora' }]);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Authorizations' }).click();
    await page.getByRole('heading', { name: 'Identity: Authorizations' }).waitFor();
    await page.getByLabel('Owner type').selectOption('GROUP');
    await page.getByLabel('Owner id').fill('explorers');
    await page.getByLabel('Resource type').selectOption('PROCESS_DEFINITION');
    await page.getByLabel('READ_PROCESS_DEFINITION').check();
    await page.getByRole('button', { name: 'Create authorization' }).click();
    const row = page.getByRole('row').filter({ hasText: 'explorers' });
    await row.getByText('READ_PROCESS_DEFINITION').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'identity-authorizations');
    console.log(`identity: created user, group, membership, authorization in ${Date.now() - started} ms`);
  });

  it('deletes the authorization, the group and the user', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Delete authorization of explorers on PROCESS_DEFINITION *' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'explorers' }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('button', { name: 'Delete group explorers' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'explorers' }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Delete user dora' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Dora Explorer' }).count()).toBe(0);
    expect((await s.rest('GET', '/users/dora', undefined, basic(ADMIN))).status).toBe(404);
  });

  it('offers a reader only what it may do: processes without deploying, no identity', async () => {
    const { page } = s;
    expect((await s.rest('POST', '/users', { ...READER, name: 'Reader' }, basic(ADMIN))).status).toBe(201);
    const grant = { ownerType: 'USER', ownerId: READER.username, resourceType: 'PROCESS_DEFINITION', resourceId: '*', permissionTypes: ['READ_PROCESS_DEFINITION'] };
    expect((await s.rest('POST', '/authorizations', grant, basic(ADMIN))).status).toBe(201);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(READER, '/processes');
    await page.getByRole('heading', { name: 'Processes' }).waitFor();
    await page.getByText('Deploying is not offered.', { exact: false }).waitFor();
    expect(await page.getByTestId('drop-zone').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Identity' }).click();
    await page.getByText('The users cannot be shown.').waitFor();
    await page.getByText('Your authorizations do not allow this.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Create user' }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('fits a narrow window', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 400, height: 800 });
    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Authorizations' }).click();
    await page.getByRole('heading', { name: 'Identity: Authorizations' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('offers instance actions only to who may change the instance, and says why to the others', async () => {
    const { page } = s;
    const form = new FormData();
    form.append('resources', new Blob([readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'console-instances.bpmn'), 'utf8')], { type: 'application/xml' }), 'console-instances.bpmn');
    expect((await s.rest('POST', '/deployments', form, basic(ADMIN))).status).toBe(200);
    // No kind: the first job's type cannot be evaluated, so the instance has an incident to retry.
    const started = await s.rest('POST', '/process-instances', { processDefinitionId: 'console-instances', variables: { kind: null } }, basic(ADMIN));
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    const key = String(started.json.processInstanceKey);
    // Reading its own authorizations lets the console know, rather than guess, what the reader lacks.
    for (const [resourceType, permission] of [['PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE'], ['AUTHORIZATION', 'READ']]) {
      const grant = { ownerType: 'USER', ownerId: READER.username, resourceType, resourceId: '*', permissionTypes: [permission] };
      expect((await s.rest('POST', '/authorizations', grant, basic(ADMIN))).status).toBe(201);
    }
    const actions = ['Modify', 'Migrate', 'Cancel instance', 'Retry', 'Add variable'];
    const offered = async () => {
      const shown: string[] = [];
      for (const name of actions) if ((await page.getByRole('button', { name, exact: name !== 'Retry' }).count()) > 0) shown.push(name);
      return shown;
    };

    // The reader is still signed in.
    await page.goto(s.ui(`/instances/${key}`));
    await page.getByRole('table', { name: 'Open incidents' }).waitFor();
    await page.getByText('Cancel, Modify and Migrate is not offered.', { exact: false }).waitFor();
    await page.getByText('It needs the UPDATE_PROCESS_INSTANCE permission on PROCESS_DEFINITION, which you do not hold.', { exact: false }).first().waitFor();
    expect(await offered()).toEqual([]);
    expect(await page.getByRole('button', { name: 'Show it anyway' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(ADMIN, `/instances/${key}`);
    await page.getByRole('table', { name: 'Open incidents' }).waitFor();
    await page.getByRole('button', { name: 'Cancel instance' }).waitFor();
    expect(await offered()).toEqual(actions);
    expect(await page.getByText('is not offered.', { exact: false }).count()).toBe(0);
  });

  it("edits a user's name and email, and changes the password", async () => {
    const { page } = s;
    const ERIN = { username: 'erin', password: 'erin-password-1' };
    expect((await s.rest('POST', '/users', { ...ERIN, name: 'Erin', email: 'erin@example.com' }, basic(ADMIN))).status).toBe(201);
    // The administrator is signed in since the last test.
    await page.goto(s.ui('/identity/users'));
    await page.getByRole('button', { name: 'Edit user erin' }).click();
    const form = page.getByRole('group', { name: 'Edit user erin' });
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Erin');
    // Opened from the table: the keyboard lands in the form.
    await expect.poll(() => form.getByLabel('Name', { exact: true }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await form.getByLabel('New password (empty: unchanged)').inputValue()).toBe('');
    await form.getByLabel('Name', { exact: true }).fill('Erin Editor');
    await form.getByLabel('Email').fill('erin.editor@example.com');
    await form.getByLabel('New password (empty: unchanged)').fill('erin-password-2');
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Erin Editor' }).waitFor();
    expect(await form.count()).toBe(0);
    expect((await s.rest('GET', '/users/erin', undefined, basic(ADMIN))).json).toMatchObject({ name: 'Erin Editor', email: 'erin.editor@example.com' });
    expect((await s.rest('GET', '/authentication/me', undefined, basic({ ...ERIN, password: 'erin-password-2' }))).status).toBe(200);
    expect((await s.rest('GET', '/authentication/me', undefined, basic(ERIN))).status).toBe(401);
  });

  it('pages through the mapping rules, creates one, makes it a member of a group and deletes it', async () => {
    const { page } = s;
    // More than one page, so that "Show more" has something to load.
    const count = IDENTITY_PAGE_SIZE + 2;
    const ids = Array.from({ length: count }, (_, i) => `rule-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < ids.length; i += 10) {
      const created = await Promise.all(
        ids.slice(i, i + 10).map((id) => s.rest('POST', '/mapping-rules', { mappingRuleId: id, name: id, claimName: 'department', claimValue: id }, basic(ADMIN))),
      );
      expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    }
    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Mapping rules' }).click();
    await page.getByRole('heading', { name: 'Identity: Mapping rules' }).waitFor();
    const rows = page.locator('table.data-table tbody tr');
    await expect.poll(() => rows.count()).toBe(IDENTITY_PAGE_SIZE);
    await page.getByText(`Showing ${IDENTITY_PAGE_SIZE} of ${count} mapping rules.`).waitFor();
    await page.getByRole('button', { name: `Show ${count - IDENTITY_PAGE_SIZE} more mapping rules` }).click();
    await expect.poll(() => rows.count()).toBe(count);
    expect(await page.getByRole('button', { name: /^Show \d+ more mapping rules$/ }).count()).toBe(0);
    await page.getByRole('cell', { name: ids.at(-1)!, exact: true }).first().waitFor();

    const newRule = page.getByRole('group', { name: 'New mapping rule' });
    await newRule.getByLabel('Id', { exact: true }).fill('sales');
    await newRule.getByLabel('Name', { exact: true }).fill('Sales');
    await newRule.getByLabel('Claim name').fill('department');
    await newRule.getByLabel('Claim value').fill('sales');
    await page.getByRole('button', { name: 'Create mapping rule' }).click();
    await expect.poll(() => rows.count()).toBe(count + 1);
    expect((await s.rest('GET', '/mapping-rules/sales', undefined, basic(ADMIN))).json).toMatchObject({ name: 'Sales', claimName: 'department', claimValue: 'sales' });
    expect(await axeViolations(page)).toEqual([]);

    expect((await s.rest('POST', '/groups', { groupId: 'sellers', name: 'Sellers' }, basic(ADMIN))).status).toBe(201);
    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('button', { name: 'Members of sellers' }).click();
    await page.getByLabel('Add a mapping rule by id').fill('sales');
    await page.getByRole('button', { name: 'Add mapping rule' }).click();
    await page.getByRole('list', { name: 'Mapping rules of sellers' }).locator('code', { hasText: 'sales' }).waitFor();
    expect((await s.rest('POST', '/groups/sellers/mapping-rules/search', {}, basic(ADMIN))).json.items).toMatchObject([{ mappingRuleId: 'sales' }]);
    expect(await axeViolations(page)).toEqual([]);

    // Back on the list, the first page again: "sales" sorts after it, and the filter finds it anyway.
    await page.getByRole('navigation', { name: 'Identity' }).getByRole('link', { name: 'Mapping rules' }).click();
    await expect.poll(() => rows.count()).toBe(IDENTITY_PAGE_SIZE);
    await page.getByLabel('Filter mapping rules').fill('sales');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Edit mapping rule sales' }).click();
    const edit = page.getByRole('group', { name: 'Edit mapping rule sales' });
    expect(await edit.getByLabel('Claim value').inputValue()).toBe('sales');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'identity-mapping-rules');
    await edit.getByLabel('Claim value').fill('sales-eu');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'sales-eu', exact: true }).waitFor();
    expect((await s.rest('GET', '/mapping-rules/sales', undefined, basic(ADMIN))).json).toMatchObject({ name: 'Sales', claimName: 'department', claimValue: 'sales-eu' });
    await page.getByRole('button', { name: 'Delete mapping rule sales' }).click();
    await expect.poll(async () => (await s.rest('GET', '/mapping-rules/sales', undefined, basic(ADMIN))).status).toBe(404);
    await expect.poll(() => page.getByRole('cell', { name: 'Sales', exact: true }).count()).toBe(0);
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
