/**
 * Zen Console's Decisions pages in a real browser against a real `zen start`: the deployed
 * decisions, a decision table drawn by dmn-js, and an evaluation made over the API with its
 * inputs, output and matched rule, which the table highlights. Axe on each page, light and dark,
 * and a narrow window. One node and one page.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { waitFor } from '../support/server-client.js';
import { showServerOutputOnFailure } from '../support/server-process.js';

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: decisions', () => {
  let s: ConsoleSession;
  let discountKey = '';
  let goldSmallEvaluation = '';
  const started = Date.now();

  const evaluate = async (variables: Record<string, unknown>) => {
    const r = await s.rest('POST', '/decision-definitions/evaluation', { decisionDefinitionKey: discountKey, variables });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as { decisionEvaluationKey: string };
  };

  beforeAll(async () => {
    s = await openConsole();
    const resources = new FormData();
    resources.append('resources', new Blob([discountDmn()], { type: 'application/xml' }), 'pricing.dmn');
    const deployed = await s.rest('POST', '/deployments', resources);
    expect(deployed.status, JSON.stringify(deployed.json)).toBe(200);
    discountKey = await waitFor('the discount decision', async () => {
      const r = await s.rest('POST', '/decision-definitions/search', { filter: { decisionDefinitionId: 'discount' } });
      return r.json.items?.[0]?.decisionDefinitionKey as string | undefined;
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    console.log(`console decisions: ${Date.now() - started} ms`);
  });
  showServerOutputOnFailure(() => [s?.server]);

  const expectAxeClean = async (what: string) => {
    expect(await axeViolations(s.page), `axe on ${what}`).toEqual([]);
  };

  it('lists the deployed decisions with their versions', async () => {
    const { page } = s;
    await page.goto(s.ui('/decisions'));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Decisions');
    const row = page.getByRole('row', { name: /Discount/ });
    await row.waitFor();
    expect(await row.getByRole('link', { name: 'Discount', exact: true }).getAttribute('href')).toBe(`/ui/decisions/${discountKey}`);
    expect(await page.getByRole('row', { name: /Message/ }).count()).toBe(1);
    await screenshot(page, 'decisions');
    await expectAxeClean('the decisions page');
  });

  it('draws the decision table, not yet evaluated', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Discount', exact: true }).click();
    await page.waitForURL(`**/ui/decisions/${discountKey}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Discount');
    await page.locator('.dmn-canvas[data-ready="decisionTable"]').waitFor();
    // The three rules of the table, drawn by dmn-js.
    expect(await page.locator('.dmn-canvas td.rule-index').allTextContents()).toEqual(['1', '2', '3']);
    await page.getByText('This decision has not been evaluated yet.').waitFor();
    await expectAxeClean('a decision without evaluations');
  });

  it('shows an evaluation made over the API, live: inputs, result, and its matched rule highlighted', async () => {
    const { page } = s;
    const first = await evaluate({ customer: 'gold', orderSize: 5 });
    goldSmallEvaluation = `${first.decisionEvaluationKey}-1`;
    const details = page.locator(`.evaluation[data-evaluation="${goldSmallEvaluation}"]`);
    await details.waitFor({ timeout: 15_000 });
    expect(await details.getByRole('row', { name: /Customer/ }).locator('td').textContent()).toBe('"gold"');
    expect(await details.getByRole('row', { name: /Order size/ }).locator('td').textContent()).toBe('5');
    expect(await details.locator('p', { hasText: 'Result' }).locator('code').textContent()).toBe('0.1');
    expect(await details.locator('.matched-rules li').getAttribute('data-rule-id')).toBe('goldSmall');
    await expect.poll(() => page.locator('.dmn-canvas tr.zen-matched-rule td.rule-index').allTextContents()).toEqual(['2']);
    await screenshot(page, 'decision');
    await expectAxeClean('a decision with an evaluation');
  });

  it('shows another evaluation chosen from the list, and its rule instead', async () => {
    const { page } = s;
    await evaluate({ customer: 'silver', orderSize: 50 });
    const list = page.getByRole('region', { name: 'Latest evaluations' });
    await expect.poll(() => list.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    // The newest is shown when none was chosen: the catch-all rule.
    await expect.poll(() => page.locator('.dmn-canvas tr.zen-matched-rule td.rule-index').allTextContents()).toEqual(['3']);
    await list.locator('tbody tr').nth(1).getByRole('button').click();
    await page.locator(`.evaluation[data-evaluation="${goldSmallEvaluation}"]`).waitFor();
    expect(await list.locator('tbody tr').nth(1).getByRole('button').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('.dmn-canvas tr.zen-matched-rule td.rule-index').allTextContents()).toEqual(['2']);
  });

  it('opens a deep link in the dark theme and a narrow window', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 400, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(s.ui(`/decisions/${discountKey}`));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Discount');
    await page.locator('.dmn-canvas[data-ready="decisionTable"]').waitFor();
    await page.locator('.evaluation').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await expectAxeClean('a decision, dark, at 400 px');
    await page.goto(s.ui('/decisions/123456'));
    await page.locator('[role="alert"]').first().waitFor();
    expect(await page.locator('[role="alert"]').first().textContent()).toContain('NOT_FOUND');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
