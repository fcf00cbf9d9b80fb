/**
 * Zen Console's Decisions pages in a real browser against a real `zen start`: the deployed
 * decisions, a decision table drawn by dmn-js, and an evaluation made over the API with its
 * inputs, output and matched rule, which the table highlights; the requirements diagram of the
 * DMN resource (two decisions, one requiring the other), whose decisions open their pages; and
 * the evaluations paged through with the search's cursors. Axe on each page, light and dark,
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
  let messageKey = '';
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
    resources.append('resources', new Blob([discountDmn({ diagram: true })], { type: 'application/xml' }), 'pricing.dmn');
    const deployed = await s.rest('POST', '/deployments', resources);
    expect(deployed.status, JSON.stringify(deployed.json)).toBe(200);
    discountKey = await waitFor('the discount decision', async () => {
      const r = await s.rest('POST', '/decision-definitions/search', { filter: { decisionDefinitionId: 'discount' } });
      return r.json.items?.[0]?.decisionDefinitionKey as string | undefined;
    });
    const message = await s.rest('POST', '/decision-definitions/search', { filter: { decisionDefinitionId: 'message' } });
    messageKey = message.json.items[0].decisionDefinitionKey;
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
    const list = page.getByRole('region', { name: 'All evaluations' });
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
    await page.getByRole('button', { name: 'Requirements diagram' }).click();
    await page.locator('.drd-canvas[data-ready="drd"]').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await expectAxeClean('the requirements diagram, dark, at 400 px');
    await page.goto(s.ui('/decisions/123456'));
    await page.locator('[role="alert"]').first().waitFor();
    expect(await page.locator('[role="alert"]').first().textContent()).toContain('NOT_FOUND');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('switches to the requirements diagram, where a click on a decision opens its page', async () => {
    const { page } = s;
    await page.goto(s.ui(`/decisions/${discountKey}`));
    await page.locator('.dmn-canvas[data-ready="decisionTable"]').waitFor();
    const show = page.getByRole('group', { name: 'Show' });
    expect(await show.getByRole('button', { name: 'Decision logic' }).getAttribute('aria-pressed')).toBe('true');
    await show.getByRole('button', { name: 'Requirements diagram' }).click();
    const drd = page.locator('.drd-canvas[data-ready="drd"]');
    await drd.waitFor();
    expect(await page.locator('.dmn-canvas[data-ready="decisionTable"]').count()).toBe(0);
    expect(await show.getByRole('button', { name: 'Requirements diagram' }).getAttribute('aria-pressed')).toBe('true');
    // Both decisions and both inputs, and what requires what, drawn by dmn-js; this page's decision marked.
    expect(await drd.locator('.djs-shape').evaluateAll((shapes) => shapes.map((e) => e.getAttribute('data-element-id')).sort())).toEqual(['customer', 'discount', 'message', 'orderSize']);
    expect(await drd.locator('.djs-connection').count()).toBe(3);
    await expect.poll(() => drd.locator('.djs-shape.zen-current-decision').getAttribute('data-element-id')).toBe('discount');
    // The same decisions as links, for the keyboard and screen readers.
    const links = page.getByRole('navigation', { name: 'Decisions of this diagram' });
    await links.getByRole('link').first().waitFor();
    expect(await links.getByRole('link').allTextContents()).toEqual(['Discount', 'Message']);
    expect(await links.getByRole('link', { name: 'Discount' }).getAttribute('aria-current')).toBe('page');
    expect(await links.getByRole('link', { name: 'Message' }).getAttribute('href')).toBe(`/ui/decisions/${messageKey}`);
    // The evaluations stay below the diagram.
    await page.locator('.evaluation').waitFor();
    await screenshot(page, 'decision-requirements');
    await expectAxeClean('the requirements diagram');

    // This page's own decision leads back to its logic.
    await drd.locator('.djs-shape[data-element-id="discount"]').click();
    await page.locator('.dmn-canvas[data-ready="decisionTable"]').waitFor();
    expect(page.url()).toBe(s.ui(`/decisions/${discountKey}`));
    await show.getByRole('button', { name: 'Requirements diagram' }).click();
    await drd.waitFor();

    await drd.locator('.djs-shape[data-element-id="message"]').click();
    await page.waitForURL(`**/ui/decisions/${messageKey}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Message');
    // A decision's page starts with its own logic.
    await page.locator('.dmn-canvas[data-ready="literalExpression"]').waitFor();
  });

  it('opens a decision of the diagram from the keyboard, by its button', async () => {
    const { page } = s;
    await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Requirements diagram' }).click();
    await page.locator('.drd-canvas[data-ready="drd"]').waitFor();
    const open = page.getByRole('button', { name: 'Open decision Discount' });
    await open.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/ui/decisions/${discountKey}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Discount');
    await page.locator('.dmn-canvas[data-ready="decisionTable"]').waitFor();
  });

  it('pages through the evaluations, older and newer, past the first 50', async () => {
    const { page } = s;
    // Two made above; 51 more make a second page of 3.
    for (let i = 0; i < 51; i++) await evaluate({ customer: 'bronze', orderSize: i });
    await page.goto(s.ui(`/decisions/${discountKey}`));
    const list = page.getByRole('region', { name: 'All evaluations' });
    const pager = page.getByRole('navigation', { name: 'Pages of evaluations' });
    await expect.poll(() => list.locator('tbody tr').count(), { timeout: 15_000 }).toBe(50);
    expect(await pager.locator('[aria-live]').textContent()).toBe('1–50 of 53');
    expect(await pager.getByRole('button', { name: 'Newer evaluations' }).isDisabled()).toBe(true);
    expect(await list.locator(`tr[data-evaluation="${goldSmallEvaluation}"]`).count()).toBe(0);
    await expectAxeClean('the first page of evaluations');

    await pager.getByRole('button', { name: 'Older evaluations' }).click();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(3);
    expect(await pager.locator('[aria-live]').textContent()).toBe('51–53 of 53');
    expect(await pager.getByRole('button', { name: 'Older evaluations' }).isDisabled()).toBe(true);
    // The oldest evaluation is last on the last page.
    expect(await list.locator('tbody tr').last().getAttribute('data-evaluation')).toBe(goldSmallEvaluation);

    await pager.getByRole('button', { name: 'Newer evaluations' }).click();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(50);
    expect(await pager.locator('[aria-live]').textContent()).toBe('1–50 of 53');
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
