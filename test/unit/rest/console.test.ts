/**
 * The console's static files on the REST port (src/api/rest/console.ts), over a built console
 * written to a temporary directory: content types, caching, deep links, what is refused, and
 * that the API's own answers (auth, 404 fallback, OpenAPI) are as they were.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { AuthGate } from '../../../src/security/auth-gate.js';
import { FailureThrottle } from '../../../src/security/failure-throttle.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const built = mkdtempSync(join(tmpdir(), 'zen-console-test-'));
const INDEX = '<!doctype html><title>Zen</title><script type="module" src="/ui/assets/index-AbC123.js"></script>';
writeFileSync(join(built, 'index.html'), INDEX);
mkdirSync(join(built, 'assets'));
writeFileSync(join(built, 'assets', 'index-AbC123.js'), 'console.log(1)');
writeFileSync(join(built, 'assets', 'index-AbC123.css'), 'body{}');
writeFileSync(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
const missing = join(built, 'no-such-dir');
afterAll(() => rmSync(built, { recursive: true, force: true }));

const refuseAll = new AuthGate('basic', { authenticate: async () => { throw new ZenError('UNAUTHENTICATED', 'This node requires authentication'); } }, new FailureThrottle(), async () => {});

describe('console files on the REST port', () => {
  it('leads / and /ui to /ui/', async () => {
    const { server } = harness({ consoleDir: built });
    for (const url of ['/', '/ui']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/ui/');
    }
  });

  it('serves index.html at /ui/ as HTML that is always revalidated, with a content security policy', async () => {
    const { server } = harness({ consoleDir: built });
    const res = await server.app.inject({ method: 'GET', url: '/ui/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const again = await server.app.inject({ method: 'GET', url: '/ui/', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers deep links to pages with index.html', async () => {
    const { server } = harness({ consoleDir: built });
    for (const url of ['/ui/processes/2251799813685249', '/ui/instances/1?x=1', '/ui/cluster', '/ui/tasks/7/']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable, each with its content type', async () => {
    const { server } = harness({ consoleDir: built });
    const js = await server.app.inject({ method: 'GET', url: '/ui/assets/index-AbC123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const css = await server.app.inject({ method: 'GET', url: '/ui/assets/index-AbC123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await server.app.inject({ method: 'GET', url: '/ui/favicon.svg' });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('answers HEAD like GET without a body', async () => {
    const { server } = harness({ consoleDir: built });
    const res = await server.app.inject({ method: 'HEAD', url: '/ui/assets/index-AbC123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('14');
    expect(res.body).toBe('');
  });

  it('refuses a missing file with an extension with 404 instead of the page', async () => {
    const { server } = harness({ consoleDir: built });
    const res = await server.app.inject({ method: 'GET', url: '/ui/assets/index-old.js' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('never serves a file outside the built console', async () => {
    writeFileSync(join(built, '..', 'zen-console-secret.txt'), 'the-secret-content');
    try {
      const { server } = harness({ consoleDir: built });
      for (const url of ['/ui/../zen-console-secret.txt', '/ui/%2e%2e/zen-console-secret.txt', '/ui/..%2fzen-console-secret.txt', '/ui/%00', '/ui/%E0%A4%A']) {
        const res = await server.app.inject({ method: 'GET', url });
        expect(res.body, url).not.toContain('the-secret-content');
        expect([200, 400, 404], url).toContain(res.statusCode);
      }
    } finally {
      rmSync(join(built, '..', 'zen-console-secret.txt'), { force: true });
    }
  });

  it('answers 503 naming the build when the console was not built', async () => {
    const { server } = harness({ consoleDir: missing });
    for (const url of ['/ui/', '/ui/processes/1']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 503, detail: 'The console was not built: run npm run build' });
    }
    expect((await server.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(302);
  });

  it('asks no credentials for the console, while the API still does', async () => {
    const { server } = harness({ consoleDir: built, authentication: refuseAll });
    expect((await server.app.inject({ method: 'GET', url: '/ui/processes/1' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(302);
    const api = await server.app.inject({ method: 'GET', url: '/v2/topology' });
    expect(api.statusCode).toBe(401);
    expect(api.headers['www-authenticate']).toContain('Basic');
    expect((await server.app.inject({ method: 'GET', url: '/v2/openapi.json' })).statusCode).toBe(200);
    // Paths that merely start like the console's are not let through.
    expect((await server.app.inject({ method: 'GET', url: '/uix' })).statusCode).toBe(401);
  });

  it('tells the page the auth mode and OIDC client at /ui/config.json, and lets it reach the issuer', async () => {
    const oidc = { issuer: 'https://id.example.com/realms/zen', clientId: 'zen-console', audience: 'zeebe-api', scope: 'openid profile' };
    const { server } = harness({ consoleDir: built, authentication: refuseAll, console: { auth: 'oidc', authorizations: true, oidc } });
    const config = await server.app.inject({ method: 'GET', url: '/ui/config.json' });
    expect(config.statusCode).toBe(200);
    expect(config.headers['content-type']).toContain('application/json');
    expect(config.json()).toEqual({ auth: 'oidc', authorizations: true, oidc });
    const page = await server.app.inject({ method: 'GET', url: '/ui/' });
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' https://id.example.com;");
  });

  it('answers a default config.json, with connections to this origin only, without auth', async () => {
    const { server } = harness({ consoleDir: built });
    expect((await server.app.inject({ method: 'GET', url: '/ui/config.json' })).json()).toEqual({ auth: 'none', authorizations: false });
    expect((await server.app.inject({ method: 'GET', url: '/ui/' })).headers['content-security-policy']).toContain("connect-src 'self';");
  });

  it('leaves the API fallback as it was: 404 outside /v2, 501 for an unknown /v2 path', async () => {
    const { server } = harness({ consoleDir: built });
    const outside = await server.app.inject({ method: 'GET', url: '/v1/topology' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().detail).toContain('the REST API is under /v2/');
    expect((await server.app.inject({ method: 'GET', url: '/v2/no-such-thing' })).statusCode).toBe(501);
    expect((await server.app.inject({ method: 'POST', url: '/ui/' })).statusCode).toBe(404);
  });
});
