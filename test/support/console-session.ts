/**
 * One `zen start` and one browser page on its console, for a test file to share across its
 * tests (see test/console/). Also a small REST caller for arranging data the way a script would,
 * and the page's own errors, which a test should expect to be none.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { REPO_ROOT, ZenServer, type ServerOptions } from './server-process.js';

const CONSOLE_INDEX = join(REPO_ROOT, 'console', 'dist', 'index.html');

export interface ConsoleSession {
  readonly server: ZenServer;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors and console.error lines of the page so far. */
  readonly pageErrors: string[];
  /** http://127.0.0.1:{rest port}/ui{path} */
  ui(path?: string): string;
  /** A /v2 call with a JSON body (or FormData), as a script would make it. */
  rest(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export async function openConsole(options: ServerOptions & { readonly viewport?: { width: number; height: number } } = {}): Promise<ConsoleSession> {
  if (!existsSync(CONSOLE_INDEX)) throw new Error(`${CONSOLE_INDEX} is missing: run \`npm run build\` before the console tests`);
  const server = await ZenServer.start(options);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, colorScheme: 'light' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(`uncaught: ${err.message}`));
    page.on('console', (message) => {
      // A refused request is logged by the browser itself; the page shows those as notices.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(`console.error: ${message.text()}`);
    });
    const base = `http://127.0.0.1:${server.restPort}`;
    const opened = browser;
    return {
      server,
      browser,
      context,
      page,
      pageErrors,
      ui: (path = '/') => `${base}/ui${path}`,
      async rest(method, path, body, headers = {}) {
        const init: RequestInit = { method, headers: { ...headers } };
        if (body instanceof FormData) init.body = body;
        else if (body !== undefined) {
          init.body = JSON.stringify(body);
          (init.headers as Record<string, string>)['content-type'] = 'application/json';
        }
        const response = await fetch(`${base}/v2${path}`, init);
        const text = await response.text();
        let json: unknown = text;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          // Not JSON (XML): the text as it came.
        }
        return { status: response.status, json };
      },
      async close() {
        await opened.close().catch(() => {});
        await server.dispose();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await server.dispose().catch(() => {});
    throw err;
  }
}
