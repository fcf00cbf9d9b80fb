/**
 * A real browser for the console tests: Debian's chromium driven by playwright-core (no browser
 * download), an axe-core check of the page as it stands, and screenshots for the README when
 * ZEN_SCREENSHOTS=1 (normal runs leave docs/ untouched).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from './server-process.js';

export const CHROMIUM_PATH = process.env.ZEN_CHROMIUM_PATH ?? '/usr/bin/chromium';

/** For describeRequiring: whether the tests can drive a browser here. */
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * What the page says `expression` is. Code that runs in the page is passed as text: the tests
 * are typed for Node, without the DOM's globals.
 */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Drops a file on `target` the way a drag from the desktop does: dragover, then drop, with a DataTransfer holding it. */
export async function dropFile(target: Locator, name: string, content: string, type = 'application/xml'): Promise<void> {
  const transfer = await target.page().evaluateHandle(
    `(() => { const t = new DataTransfer(); t.items.add(new File([${JSON.stringify(content)}], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} })); return t; })()`,
  );
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
  await transfer.dispose();
}

/** axe-core's WCAG 2.x A/AA rules and best practices over the page as it is now; an empty list is a clean page. */
export async function axeViolations(page: Page, exclude: readonly string[] = []): Promise<AxeViolation[]> {
  // Evaluated through the devtools protocol, not as a <script>: the console's content security
  // policy rightly refuses inline scripts, and the check must not need it loosened.
  if (!(await inPage<boolean>(page, "typeof axe !== 'undefined'"))) await page.evaluate(AXE_SOURCE);
  const context = { include: [['html']], exclude: exclude.map((selector) => [selector]) };
  const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] };
  return inPage<AxeViolation[]>(
    page,
    `axe.run(${JSON.stringify(context)}, ${JSON.stringify(options)}).then((r) => r.violations.map((v) => ` +
      `({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`,
  );
}

export const SCREENSHOTS = process.env.ZEN_SCREENSHOTS === '1';
const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');

/** Writes docs/screenshots/{name}.png when ZEN_SCREENSHOTS=1; otherwise nothing. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
