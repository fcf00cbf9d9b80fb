/**
 * The backups on the Cluster page under `--auth basic --authorizations`, in a real browser: the
 * list needs SYSTEM READ (without it the page shows the node's refusal where the list would
 * be), taking one needs SYSTEM UPDATE (without it the page says so instead of offering it), and
 * the administrator may do both. One node with a directory backup store, one page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { showServerOutputOnFailure } from '../support/server-process.js';

const ADMIN = { username: 'backup-admin', password: 'backup-admin-password-1' };
const OUTSIDER = { username: 'outsider', password: 'outsider-password-1' };
const WATCHER = { username: 'watcher', password: 'watcher-password-1' };
const basic = (u: { username: string; password: string }) => ({ authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` });

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: backups under --authorizations', () => {
  let s: ConsoleSession;
  let store = '';

  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'zen-console-backups-auth-'));
    s = await openConsole({
      args: ['--auth', 'basic', '--authorizations', '--admin-user', ADMIN.username, '--backup-store', 'fs', '--backup-dir', store],
      env: { ZEN_ADMIN_PASSWORD: ADMIN.password },
    });
    for (const user of [OUTSIDER, WATCHER]) expect((await s.rest('POST', '/users', { ...user, name: user.username }, basic(ADMIN))).status).toBe(201);
    // The watcher may read the backups, and its own authorizations (so the console knows what it lacks).
    for (const [resourceType, permission] of [['SYSTEM', 'READ'], ['AUTHORIZATION', 'READ']]) {
      const grant = { ownerType: 'USER', ownerId: WATCHER.username, resourceType, resourceId: '*', permissionTypes: [permission] };
      expect((await s.rest('POST', '/authorizations', grant, basic(ADMIN))).status).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    if (store) await rm(store, { recursive: true, force: true });
  });
  showServerOutputOnFailure(() => [s?.server]);

  const signIn = async (user: { username: string; password: string }) => {
    const { page } = s;
    await page.goto(s.ui('/cluster'));
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Cluster' }).waitFor();
  };
  const signOut = () => s.page.getByRole('button', { name: 'Sign out' }).click();

  it('shows the node\'s refusal to a user without SYSTEM READ, and offers no backup', async () => {
    const { page } = s;
    await signIn(OUTSIDER);
    await page.getByText('The backups could not be read.').waitFor();
    expect(await page.locator('.backups-section').getByText("Insufficient permissions to perform operation 'READ' on resource 'SYSTEM'", { exact: false }).count()).toBe(1);
    // The topology needs only authentication.
    await page.locator('tr[data-partition-id="1"]').waitFor();
    expect(await page.getByRole('button', { name: 'Take a backup…' }).count()).toBe(0);
    expect(await page.getByText('No backups yet.').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await signOut();
  });

  it('lists the backups to a user with SYSTEM READ, and says why taking one is not offered', async () => {
    const { page } = s;
    await signIn(WATCHER);
    await page.getByText('No backups yet.').waitFor();
    await page.getByText('Taking a backup is not offered. It needs the UPDATE permission on SYSTEM, which you do not hold.').waitFor();
    expect(await page.getByRole('button', { name: 'Take a backup…' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await signOut();
  });

  it('lets the administrator take one, which the watcher then sees', async () => {
    const { page } = s;
    await signIn(ADMIN);
    await page.getByRole('button', { name: 'Take a backup…' }).click();
    await page.getByRole('form', { name: 'Confirm the backup' }).getByRole('button', { name: 'Take backup 1' }).click();
    await page.getByRole('status').filter({ hasText: 'Backup 1 requested' }).waitFor();
    await signOut();
    await signIn(WATCHER);
    await expect.poll(() => page.locator('tr[data-backup-id="1"] td .badge').first().textContent(), { timeout: 30_000 }).toBe('COMPLETED');
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
