/**
 * Signing in to Zen Console on a node started with `--auth basic`: the console finds the mode
 * from the API's 401, asks for a username and password, keeps them for the tab only, and goes
 * back to the form when the API refuses them. The static files themselves ask for nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, inPage, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { showServerOutputOnFailure } from '../support/server-process.js';

const ADMIN = { username: 'console-admin', password: 'console-admin-password-1' };

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: sign-in under --auth basic', () => {
  let s: ConsoleSession;

  beforeAll(async () => {
    s = await openConsole({ args: ['--auth', 'basic', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });
  showServerOutputOnFailure(() => [s?.server]);

  it('asks to sign in, refuses a wrong password, and lets the right one in', async () => {
    const { page } = s;
    await page.goto(s.ui('/cluster'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');

    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The deep link asked for is where the user lands.
    await page.getByRole('heading', { name: 'Cluster' }).waitFor();
    expect(await page.locator('header .user').textContent()).toBe(ADMIN.username);
    // The change stream is read with the session's credentials too (a refused one would be down).
    await expect.poll(() => inPage(page, 'document.documentElement.dataset.liveStream')).toBe('open');
    expect(await inPage(page, "sessionStorage.getItem('zen.authorization')")).toMatch(/^Basic /);
    expect(await inPage(page, "localStorage.getItem('zen.authorization')")).toBeNull();
  });

  it('stays signed in across a reload of the tab, and signs out', async () => {
    const { page } = s;
    await page.reload();
    await page.getByRole('heading', { name: 'Cluster' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await inPage(page, "sessionStorage.getItem('zen.authorization')")).toBeNull();
  });

  it('goes back to sign-in when the API refuses the kept credentials', async () => {
    const { page } = s;
    await inPage(page, `sessionStorage.setItem('zen.authorization', 'Basic ${Buffer.from('console-admin:changed').toString('base64')}')`);
    await page.goto(s.ui('/processes'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Your credentials were refused; sign in again.' }).waitFor();
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
