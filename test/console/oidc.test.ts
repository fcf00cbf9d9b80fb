/**
 * Signing in to Zen Console on a node started with `--auth oidc`, in a real browser, against the
 * test OpenID provider on loopback (test/support/oauth-server.ts: /authorize approves at once as
 * its configured user). The console goes to the provider by itself, trades the code with PKCE at
 * /ui/callback, and comes back to the page the user asked for; sign-out forgets the token; the
 * refresh token renews an access token before it expires and when the node refuses it (short-
 * lived tokens, and no new visit to /authorize); only when the provider refuses the refresh
 * token does an expired one go round through the provider, once; and a token the node refuses
 * right after the provider issued it stops on the sign-in page instead of going round for ever.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, inPage } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { startTestOAuthServer, type TestOAuthServer } from '../support/oauth-server.js';
import { describeRequiring } from '../support/requires.js';
import { REPO_ROOT, showServerOutputOnFailure } from '../support/server-process.js';

const AUDIENCE = 'zeebe-api';
const CLIENT_ID = 'zen-console-test';
const ORDER = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'console-order.bpmn'), 'utf8');

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: sign-in under --auth oidc', () => {
  let idp: TestOAuthServer;
  let s: ConsoleSession;
  let orderKey = '';

  const token = () => inPage<string | null>(s.page, "sessionStorage.getItem('zen.authorization')");
  const bearer = async () => ({ authorization: `Bearer ${await idp.userToken('script', { audience: AUDIENCE })}` });

  beforeAll(async () => {
    idp = await startTestOAuthServer({ publicClients: [{ clientId: CLIENT_ID, redirectUris: [] }], signInAs: { username: 'alice', name: 'Alice Example' } });
    s = await openConsole({ args: ['--auth', 'oidc', '--oidc-issuer', idp.issuer, '--oidc-audience', AUDIENCE, '--console-client-id', CLIENT_ID] });
    // The node's port is chosen when it starts; the provider learns the console's callback then.
    idp.addRedirectUri(CLIENT_ID, s.ui('/callback'));
    const form = new FormData();
    form.append('resources', new Blob([ORDER], { type: 'application/xml' }), 'console-order.bpmn');
    const deployed = await s.rest('POST', '/deployments', form, await bearer());
    expect(deployed.status, JSON.stringify(deployed.json)).toBe(200);
    orderKey = deployed.json.deployments[0].processDefinition.processDefinitionKey;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await idp?.stop();
  });
  showServerOutputOnFailure(() => [s?.server]);

  it('goes to the provider on a first visit and comes back signed in, on the processes list', async () => {
    const { page } = s;
    const started = Date.now();
    const visits: string[] = [];
    // Requests, not committed pages: the provider's answer is a redirect, never a page of its own.
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) visits.push(new URL(request.url()).pathname);
    });
    await page.goto(s.ui('/'));
    await page.getByRole('heading', { name: 'Processes' }).waitFor();
    await page.getByRole('row', { name: /Console order/ }).waitFor();
    expect(idp.hits.authorize).toBe(1);
    expect(visits).toContain(new URL(idp.authorizeUrl).pathname);
    expect(visits).toContain('/ui/callback');
    expect(page.url()).toBe(s.ui('/processes'));
    expect(await page.locator('header .user').textContent()).toBe('Alice Example');
    expect(await token()).toMatch(/^Bearer ey/);
    // The code was traded with the verifier, by the console's public client.
    const traded = idp.tokenRequests.at(-1)!.form;
    expect(traded).toMatchObject({ grant_type: 'authorization_code', client_id: CLIENT_ID, redirect_uri: s.ui('/callback') });
    expect(traded.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(traded.client_secret).toBeUndefined();
    expect(await axeViolations(page)).toEqual([]);
    console.log(`oidc: first visit to signed-in processes list in ${Date.now() - started} ms`);
  });

  it('signs out, and the next visit goes to the provider again', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('You signed out.').waitFor();
    expect(await token()).toBeNull();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(idp.hits.authorize).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(s.ui('/processes'));
    await page.getByRole('row', { name: /Console order/ }).waitFor();
    expect(idp.hits.authorize).toBe(2);
    expect(await page.locator('header .user').textContent()).toBe('Alice Example');
  });

  it('keeps a deep link, with its query, across the round trip to the provider', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const deep = s.ui(`/processes/${orderKey}?from=link`);
    await page.goto(deep);
    await page.getByRole('heading', { name: /Console order/ }).waitFor();
    expect(page.url()).toBe(deep);
    expect(idp.hits.authorize).toBe(3);
  });

  const refreshes = () => idp.tokenRequests.filter((r) => r.form.grant_type === 'refresh_token').length;
  const expiredToken = async () => `Bearer ${await idp.userToken('alice', { audience: AUDIENCE, expiresIn: -600 })}`;

  it('renews a token the node refuses with the refresh token, without going back to the provider', async () => {
    const { page } = s;
    const before = refreshes();
    const expired = await expiredToken();
    await inPage(page, `sessionStorage.setItem('zen.authorization', ${JSON.stringify(expired)})`);
    // The next call of the page (a live refresh) is refused, renewed and made again.
    await expect.poll(token, { timeout: 20_000 }).not.toBe(expired);
    expect(await token()).toMatch(/^Bearer ey/);
    expect(refreshes()).toBeGreaterThan(before);
    expect(idp.tokenRequests.findLast((r) => r.form.grant_type === 'refresh_token')!.form).toMatchObject({ client_id: CLIENT_ID });
    expect(idp.hits.authorize).toBe(3);
    await page.getByRole('heading', { name: /Console order/ }).waitFor();
    expect(page.url()).toBe(s.ui(`/processes/${orderKey}?from=link`));
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('renews short-lived tokens before they expire: the page keeps working past their lifetime, without the provider', async () => {
    const { page } = s;
    idp.tokenLifetimeSeconds = 4;
    const refused: string[] = [];
    const onResponse = (response: Response) => {
      if (response.status() === 401 && response.request().headers().authorization !== expired) refused.push(response.url());
    };
    const expired = await expiredToken();
    try {
      // One renewal of a refused token hands out the first short-lived one.
      await inPage(page, `sessionStorage.setItem('zen.authorization', ${JSON.stringify(expired)})`);
      await expect.poll(token, { timeout: 20_000 }).not.toBe(expired);
      page.on('response', onResponse);
      const start = refreshes();
      const first = await token();
      // Three renewals: well past the first token's 4 seconds, each before the node refused anything.
      await expect.poll(refreshes, { timeout: 30_000 }).toBeGreaterThanOrEqual(start + 3);
      expect(await token()).not.toBe(first);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cluster' }).click();
      await page.locator('tr[data-partition-id="1"]').waitFor();
      expect(refused).toEqual([]);
      expect(idp.hits.authorize).toBe(3);
      expect(await page.getByRole('alert').count()).toBe(0);
      // What the console holds is a token the node accepts.
      expect((await s.rest('GET', '/topology', undefined, { authorization: (await token())! })).status).toBe(200);
    } finally {
      page.off('response', onResponse);
      idp.tokenLifetimeSeconds = 3600;
    }
  });

  it('goes back through the provider once when the refresh token is refused too, to the same page', async () => {
    const { page } = s;
    await page.goto(s.ui(`/processes/${orderKey}?from=link`));
    await page.getByRole('heading', { name: /Console order/ }).waitFor();
    idp.revokeRefreshTokens();
    const expired = await expiredToken();
    await inPage(page, `sessionStorage.setItem('zen.authorization', ${JSON.stringify(expired)})`);
    await expect.poll(() => idp.hits.authorize, { timeout: 20_000 }).toBe(4);
    await expect.poll(token).not.toBe(expired);
    await page.getByRole('heading', { name: /Console order/ }).waitFor();
    expect(page.url()).toBe(s.ui(`/processes/${orderKey}?from=link`));
    expect(await token()).toMatch(/^Bearer ey/);
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('renews a kept token that expired while the page was closed, on the next load', async () => {
    const { page } = s;
    const expired = await expiredToken();
    const before = refreshes();
    // Swapped and reloaded in one go, so no call of the old page renews it first.
    await Promise.all([page.waitForEvent('load'), inPage(page, `sessionStorage.setItem('zen.authorization', ${JSON.stringify(expired)}); location.reload(); true`)]);
    await page.getByRole('heading', { name: /Console order/ }).waitFor();
    expect(refreshes()).toBe(before + 1);
    expect(await token()).not.toBe(expired);
    expect(idp.hits.authorize).toBe(4);
  });

  it('stops on the sign-in page, without going round, when the node refuses the token the provider just issued', async () => {
    const { page } = s;
    idp.tokenLifetimeSeconds = -600;
    try {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.goto(s.ui('/cluster'));
      await page.getByText('The node refused the token the identity provider issued', { exact: false }).waitFor();
      expect(idp.hits.authorize).toBe(5);
      await page.reload();
      await page.getByText('The node refused the token the identity provider issued', { exact: false }).waitFor();
      expect(idp.hits.authorize).toBe(5);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      idp.tokenLifetimeSeconds = 3600;
    }
    // Once the provider issues good tokens again, the button signs in.
    await page.getByRole('button', { name: 'Sign in with your identity provider' }).click();
    await page.getByRole('heading', { name: 'Cluster' }).waitFor();
    expect(idp.hits.authorize).toBe(6);
  });

  it('shows the refusal of the provider on the callback page', async () => {
    const { page } = s;
    await page.goto(s.ui('/callback?error=access_denied&error_description=The%20user%20said%20no'));
    await page.getByRole('alert').filter({ hasText: 'The identity provider refused the sign-in: The user said no' }).waitFor();
    expect(await page.getByRole('link', { name: 'Back to the console' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
