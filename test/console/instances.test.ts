/**
 * Zen Console's Instances pages in a real browser against a real `zen start`: the list and its
 * filters, an instance's diagram marks, an incident fixed through the variables editor and
 * retried, Cancel, Modify (two activations, one with variables, and a termination), a variable
 * added in an element's scope, history and variables read page by page, Migrate (with its
 * preview) and call activity links.
 * One node and one page for the file; axe on each page, a narrow window once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, CHROMIUM_PATH, inPage, screenshot } from '../support/browser.js';
import { openConsole, type ConsoleSession } from '../support/console-session.js';
import { describeRequiring } from '../support/requires.js';
import { waitFor } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure } from '../support/server-process.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'bpmn', name), 'utf8');

describeRequiring(chromiumAvailable(), `chromium (${CHROMIUM_PATH})`, 'Zen Console: instances', () => {
  let s: ConsoleSession;
  /** Instances by role: kind (the prepare job's type suffix) and what the test does with each. */
  const keys: Record<string, string> = {};

  const deploy = async (...names: string[]) => {
    const form = new FormData();
    for (const name of names) form.append('resources', new Blob([fixture(name)], { type: 'application/xml' }), name);
    const r = await s.rest('POST', '/deployments', form);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.deployments as Array<{ processDefinition?: { processDefinitionKey: string } }>;
  };
  const start = async (processDefinitionId: string, variables: Record<string, unknown>) => {
    const r = await s.rest('POST', '/process-instances', { processDefinitionId, variables });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return String(r.json.processInstanceKey);
  };
  /** Activates and completes the one job of this type there is. */
  const completeJob = async (type: string) => {
    const job = await waitFor(`a ${type} job`, async () => {
      const r = await s.rest('POST', '/jobs/activation', { type, maxJobsToActivate: 1, timeout: 600_000, worker: 'console-test', requestTimeout: 1_000 });
      return r.json.jobs?.[0] as { jobKey: string } | undefined;
    });
    expect((await s.rest('POST', `/jobs/${job.jobKey}/completion`, {})).status).toBe(204);
  };
  const expectAxeClean = async (what: string) => {
    expect(await axeViolations(s.page), `axe on ${what}`).toEqual([]);
  };
  const element = (id: string) => s.page.locator(`.djs-element[data-element-id="${id}"]`);
  const classesOf = async (id: string) => (await element(id).first().getAttribute('class')) ?? '';
  /** The instance keys of the list's rows, in order, read at one moment (the list may change under a poll). */
  const rowKeys = () => inPage<string[]>(s.page, "[...document.querySelectorAll('tr[data-instance-key]')].map((row) => row.dataset.instanceKey)");
  const openInstance = async (key: string) => {
    await s.page.goto(s.ui(`/instances/${key}`));
    await s.page.locator('.diagram-canvas[data-ready="true"] svg').first().waitFor();
  };

  beforeAll(async () => {
    s = await openConsole();
    await deploy('console-instances.bpmn', 'console-caller.bpmn');
    // One finished instance: each job completed as it comes.
    keys.done = await start('console-instances', { kind: 'f', customer: 'umbrella' });
    for (const type of ['prepare-f', 'console-work', 'console-review']) await completeJob(type);
    keys.running = await start('console-instances', { kind: 'a', customer: 'acme' });
    keys.incident = await start('console-instances', { kind: null, customer: 'globex' });
    keys.modify = await start('console-instances', { kind: 'c', customer: 'initech' });
    await completeJob('prepare-c');
    keys.migrate = await start('console-instances', { kind: 'e', customer: 'hooli' });
    keys.caller = await start('console-caller', { kind: 'x' });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });
  showServerOutputOnFailure(() => [s?.server]);

  it('lists the instances newest first and filters them by state, incident and variable value', async () => {
    const { page } = s;
    await page.goto(s.ui('/instances'));
    const rows = page.locator('tr[data-instance-key]');
    // Six started here, and the caller's child.
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(7);
    expect(await page.locator('.summary').textContent()).toBe('1–7 of 7 instances');
    expect(await rows.first().getAttribute('data-instance-key')).not.toBe(keys.done);

    await page.getByLabel('State').selectOption('COMPLETED');
    await expect.poll(() => rowKeys()).toEqual([keys.done]);
    expect(page.url()).toContain('state=COMPLETED');
    await page.getByLabel('State').selectOption('ACTIVE');
    await expect.poll(() => rows.count()).toBe(6);

    await page.getByLabel('With incidents only').check();
    // Only the instance whose kind is null (the caller's child got its kind from the caller).
    await expect.poll(() => rowKeys()).toEqual([keys.incident]);
    expect(await page.locator(`tr[data-instance-key="${keys.incident}"] .badge`).textContent()).toBe('Incident');
    await page.getByLabel('With incidents only').uncheck();

    await page.getByLabel('Variable').fill('customer');
    await page.getByLabel('Value').fill('globex');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => rowKeys()).toEqual([keys.incident]);
    await screenshot(page, 'instances');
    await expectAxeClean('the filtered instance list');

    // The filters are in the address: a reload keeps them.
    await page.reload();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByLabel('Value').inputValue()).toBe('globex');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(7);
  });

  it('shows an incident on the diagram with its message; fixing the variable and Retry resolves it', async () => {
    const { page } = s;
    await page.goto(s.ui('/instances?var=customer&value=globex'));
    await page.getByRole('link', { name: keys.incident }).click();
    await page.waitForURL(`**/ui/instances/${keys.incident}`);
    await page.locator('.diagram-canvas[data-ready="true"] svg').first().waitFor();
    await expect.poll(() => classesOf('prepare')).toContain('zen-incident');
    expect(await classesOf('f1')).toContain('zen-taken');
    expect(await classesOf('f2')).not.toContain('zen-taken');
    const message = page.locator(`.incident-message`);
    expect(await message.textContent()).toContain('kind');
    expect(await page.locator('.instance-state .badge').textContent()).toBe('Incident');
    expect(await page.locator('.facts').textContent()).toContain('Console instances');
    await screenshot(page, 'instance-incident');
    await expectAxeClean('an instance with an incident');

    await page.getByRole('button', { name: 'Edit kind' }).click();
    await page.getByLabel('New value of kind (JSON)').fill('b');
    await page.getByRole('button', { name: 'Save kind' }).click();
    // Not JSON: refused in the page, naming why.
    expect(await page.locator('.variable-editor [role="alert"]').textContent()).toContain('Not JSON');
    await page.getByLabel('New value of kind (JSON)').fill('"b"');
    await page.getByRole('button', { name: 'Save kind' }).click();
    await expect.poll(() => page.locator('tr[data-variable="kind"] td.value').textContent()).toBe('"b"');

    await page.getByRole('button', { name: 'Retry Prepare' }).click();
    await page.getByText('The incident at Prepare is resolved').waitFor();
    await expect.poll(() => classesOf('prepare')).toContain('zen-active');
    expect(await classesOf('prepare')).not.toContain('zen-incident');
    await expect.poll(() => page.locator('.instance-state .badge').textContent()).toBe('Active');
    // The job is there now, with the type the fixed variable gave it.
    const jobs = await s.rest('POST', '/jobs/search', { filter: { processInstanceKey: keys.incident, elementId: 'prepare' } });
    expect(jobs.json.items.map((j: { type: string }) => j.type)).toEqual(['prepare-b']);
  });

  it('marks the running element, and cancels the instance after a confirmation', async () => {
    const { page } = s;
    await openInstance(keys.running!);
    await expect.poll(() => classesOf('prepare')).toContain('zen-active');
    expect(await classesOf('start')).not.toContain('zen-active');
    await screenshot(page, 'instance');
    await expectAxeClean('a running instance');

    await page.getByRole('button', { name: 'Cancel instance' }).click();
    await page.getByRole('button', { name: 'Keep it running' }).click();
    await page.getByRole('button', { name: 'Cancel instance' }).click();
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect.poll(() => page.locator('.instance-state .badge').textContent()).toBe('Canceled');
    expect(await page.getByRole('button', { name: 'Modify' }).count()).toBe(0);
    expect((await s.rest('GET', `/process-instances/${keys.running}`)).json.state).toBe('TERMINATED');
  });

  /** The instance's element instances over REST, in the order they started. */
  const elementInstances = async (processInstanceKey: string) => {
    const r = await s.rest('POST', '/element-instances/search', { filter: { processInstanceKey }, sort: [{ field: 'startDate', order: 'ASC' }], page: { limit: 100 } });
    return r.json.items as Array<{ elementId: string; elementInstanceKey: string; state: string }>;
  };
  const variablesIn = async (processInstanceKey: string, filter: Record<string, unknown>) => {
    const r = await s.rest('POST', '/variables/search', { filter: { processInstanceKey, ...filter }, sort: [{ field: 'name', order: 'ASC' }] });
    return r.json.items as Array<{ name: string; value: string; scopeKey: string }>;
  };

  it('modifies an instance: two elements activated (one with variables in its own scope) and one terminated, in one step', async () => {
    const { page } = s;
    await openInstance(keys.modify!);
    await expect.poll(() => classesOf('work')).toContain('zen-active');
    await page.getByRole('button', { name: 'Modify' }).click();
    // Picked on the diagram; a second click drops an element again.
    await element('review').click();
    await element('prepare').click();
    await expect.poll(() => classesOf('review')).toContain('zen-picked');
    await expect.poll(() => classesOf('prepare')).toContain('zen-picked');
    await element('prepare').click();
    await expect.poll(() => classesOf('prepare')).not.toContain('zen-picked');
    expect(await page.locator('fieldset[data-activation]').count()).toBe(1);
    // The keyboard's way: chosen from the list.
    await page.getByLabel('Element to activate').selectOption('prepare');
    await page.getByRole('button', { name: 'Add activation' }).click();
    await expect.poll(() => classesOf('prepare')).toContain('zen-picked');
    // Start events cannot take a token by hand: not offered.
    expect(await page.getByLabel('Element to activate').locator('option').evaluateAll((options) => options.map((o) => o.getAttribute('value')))).toEqual(['', 'work', 'end']);
    expect(await inPage<string[]>(page, "[...document.querySelectorAll('fieldset[data-activation]')].map((f) => f.dataset.activation)")).toEqual(['review', 'prepare']);

    const reviewVariables = page.getByLabel('Variables for Review (JSON object, optional)');
    await reviewVariables.fill('["ann"]');
    await page.getByLabel(/^Do the work \(/).check();
    await page.getByRole('button', { name: 'Apply modification' }).click();
    // Not an object: refused in the page, next to the field, and nothing sent.
    await expect.poll(() => page.locator('fieldset[data-activation="review"] .notice.error').textContent()).toContain('not an array');
    expect(await reviewVariables.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').filter({ hasText: 'Fix the variables of Review' }).count()).toBe(1);
    expect((await elementInstances(keys.modify!)).filter((e) => e.elementId === 'review')).toEqual([]);

    await reviewVariables.fill('{"reviewer": "ann", "round": 2}');
    expect(await page.getByLabel('Create the variables of Review in').inputValue()).toBe('review');
    await screenshot(page, 'instance-modify');
    await expectAxeClean('the modify panel with two activations');
    await page.getByRole('button', { name: 'Apply modification' }).click();

    await expect.poll(async () => (await elementInstances(keys.modify!)).map((e) => `${e.elementId}:${e.state}`), { timeout: 10_000 }).toEqual(
      expect.arrayContaining(['work:TERMINATED', 'review:ACTIVE', 'prepare:COMPLETED', 'prepare:ACTIVE']),
    );
    const review = (await elementInstances(keys.modify!)).find((e) => e.elementId === 'review')!;
    // The variables are the new Review's own, not the process instance's.
    await expect.poll(() => variablesIn(keys.modify!, { scopeKey: review.elementInstanceKey })).toEqual([
      expect.objectContaining({ name: 'reviewer', value: '"ann"' }),
      expect.objectContaining({ name: 'round', value: '2' }),
    ]);
    expect(await variablesIn(keys.modify!, { name: 'reviewer', scopeKey: keys.modify })).toEqual([]);
    // The page shows it: the panel closed, both running, the work terminated.
    await expect.poll(() => classesOf('review'), { timeout: 10_000 }).toContain('zen-active');
    await expect.poll(() => classesOf('work')).not.toContain('zen-active');
    expect(await page.locator('.modify-panel').count()).toBe(0);
    await expect.poll(() => page.locator('tr[data-element-id="work"]').getAttribute('data-state')).toBe('TERMINATED');
  });

  it('adds a variable to the scope of a running element instance, not the process instance', async () => {
    const { page } = s;
    const review = (await elementInstances(keys.modify!)).find((e) => e.elementId === 'review' && e.state === 'ACTIVE')!;
    await page.getByLabel('Scope', { exact: true }).selectOption({ label: `Review (${review.elementInstanceKey})` });
    await page.getByLabel('New variable', { exact: true }).fill('note');
    await page.getByLabel('Value (JSON)', { exact: true }).fill('"check twice"');
    await page.getByRole('button', { name: 'Add variable' }).click();
    await expect.poll(() => variablesIn(keys.modify!, { name: 'note' })).toEqual([expect.objectContaining({ value: '"check twice"', scopeKey: review.elementInstanceKey })]);
    const scopeTable = page.getByRole('table', { name: `Variables of Review (${review.elementInstanceKey})` });
    await expect.poll(() => scopeTable.locator('tr[data-variable="note"] td.value').textContent(), { timeout: 10_000 }).toBe('"check twice"');
    await expectAxeClean('the variables with a scope picked');
  });

  it('pages through the history and the variables past the first page', async () => {
    const { page } = s;
    const total = (await elementInstances(keys.modify!)).length;
    const variableCount = (await variablesIn(keys.modify!, {})).length;
    expect(total).toBeGreaterThan(4);
    expect(variableCount).toBeGreaterThan(2);
    await page.goto(s.ui(`/instances/${keys.modify}?rows=2`));
    const history = page.locator('tr[data-element-id]');
    await expect.poll(() => history.count(), { timeout: 10_000 }).toBe(2);
    const historyMore = page.locator('section[aria-labelledby="history-title"] .show-more');
    expect(await historyMore.textContent()).toContain(`Showing 2 of ${total} element instances.`);
    await page.getByRole('button', { name: 'Show 2 more element instances' }).click();
    await expect.poll(() => history.count(), { timeout: 10_000 }).toBe(4);
    // On to the end: every row once, in the order they started, and then no button.
    while ((await historyMore.count()) > 0) {
      const before = await history.count();
      await historyMore.getByRole('button').click();
      await expect.poll(() => history.count(), { timeout: 10_000 }).toBeGreaterThan(before);
    }
    expect(await inPage<string[]>(page, "[...document.querySelectorAll('tr[data-element-id]')].map((r) => r.dataset.elementId)")).toEqual(
      (await elementInstances(keys.modify!)).map((e) => e.elementId),
    );

    const variableRows = page.locator('tr[data-variable]');
    expect(await variableRows.count()).toBe(2);
    expect(await page.locator('section[aria-labelledby="variables-title"] .show-more').textContent()).toContain(`Showing 2 of ${variableCount} variables.`);
    await expectAxeClean('an instance page read in pages');
    await page.getByRole('button', { name: /^Show \d+ more variables$/ }).click();
    await expect.poll(() => variableRows.count(), { timeout: 10_000 }).toBe(Math.min(4, variableCount));
  });

  it('activates in the running sub-process instance the user chose, with variables in the sub-process scope', async () => {
    const { page } = s;
    await deploy('console-sub-process.bpmn');
    const key = await start('console-sub-process', {});
    const payment = await waitFor('the running payment sub-process', async () => (await elementInstances(key)).find((e) => e.elementId === 'payment' && e.state === 'ACTIVE'));
    await openInstance(key);
    await expect.poll(() => classesOf('charge')).toContain('zen-active');
    await page.getByRole('button', { name: 'Modify' }).click();
    // A new Payment (from the list: its middle on the diagram is the Charge task), and a second Charge in the running one.
    await page.getByLabel('Element to activate').selectOption('payment');
    await page.getByRole('button', { name: 'Add activation' }).click();
    await element('charge').click();
    await expect.poll(() => classesOf('charge')).toContain('zen-picked');
    const ancestor = page.getByLabel('Activate Charge in');
    expect(await ancestor.locator('option').allTextContents()).toEqual(['The running one (a new one when none runs)', `Payment (${payment.elementInstanceKey})`]);
    await ancestor.selectOption(payment.elementInstanceKey);
    await page.getByLabel('Variables for Charge (JSON object, optional)').fill('{"attempt": 2}');
    await page.getByLabel('Create the variables of Charge in').selectOption({ label: 'The sub-process Payment' });
    // Payment sits at the process level: nothing to choose where it goes.
    expect(await page.getByLabel('Activate Payment in').count()).toBe(0);
    // Terminating the Payment Charge is to run in: the node refuses, and its reason is shown.
    await page.getByLabel(`Payment (${payment.elementInstanceKey})`).check();
    await page.getByRole('button', { name: 'Apply modification' }).click();
    await expect.poll(() => page.locator('.modify-panel .notice.error').textContent(), { timeout: 10_000 }).toContain('required flow scope instance');
    await page.getByLabel(`Payment (${payment.elementInstanceKey})`).uncheck();
    await expectAxeClean('the modify panel inside a sub-process, with the refusal');
    await page.getByRole('button', { name: 'Apply modification' }).click();

    const running = async () => (await elementInstances(key)).filter((e) => e.state === 'ACTIVE' && e.elementId !== 'console-sub-process').map((e) => e.elementId).sort();
    await expect.poll(running, { timeout: 10_000 }).toEqual(['charge', 'charge', 'charge', 'payment', 'payment']);
    // The variables went into the Payment instance chosen, not the new one.
    await expect.poll(() => variablesIn(key, { name: 'attempt' })).toEqual([expect.objectContaining({ value: '2', scopeKey: payment.elementInstanceKey })]);
  });

  it('migrates an instance to another version after previewing the mapping', async () => {
    const { page } = s;
    await deploy('console-instances-v2.bpmn');
    await openInstance(keys.migrate!);
    await expect.poll(() => classesOf('prepare')).toContain('zen-active');
    await page.getByRole('button', { name: 'Migrate' }).click();
    const row = page.locator('tr[data-source="prepare"]');
    await row.waitFor();
    expect(await page.getByLabel('Target definition').locator('option:checked').textContent()).toBe('Console instances version 2');
    expect(await row.locator('td').last().textContent()).toBe('OK');
    await page.getByLabel('Target of prepare').selectOption('approve');
    expect(await row.locator('td').last().textContent()).toBe('A serviceTask cannot become a userTask');
    expect(await page.getByRole('button', { name: 'Migrate', exact: true }).last().isDisabled()).toBe(true);
    await expectAxeClean('the migrate panel');
    await page.getByLabel('Target of prepare').selectOption('prepare');
    await page.locator('.migrate-panel').getByRole('button', { name: 'Migrate' }).click();
    await expect.poll(() => page.locator('.facts dt:text("Version") + dd').textContent()).toBe('2');
    await expect.poll(async () => (await s.rest('GET', `/process-instances/${keys.migrate}`)).json.processDefinitionVersion).toBe(2);
  });

  it("links a call activity's child to its parent and back", async () => {
    const { page } = s;
    const child = await waitFor('the called instance', async () => {
      const r = await s.rest('POST', '/process-instances/search', { filter: { parentProcessInstanceKey: keys.caller } });
      return r.json.items?.[0]?.processInstanceKey as string | undefined;
    });
    await openInstance(child);
    await page.getByRole('link', { name: `instance ${keys.caller}` }).click();
    await page.waitForURL(`**/ui/instances/${keys.caller}`);
    await expect.poll(() => classesOf('call')).toContain('zen-active');
    await page.getByRole('link', { name: `Console instances ${child}` }).click();
    await page.waitForURL(`**/ui/instances/${child}`);
    await expectAxeClean('a called instance');
  });

  it('works in a narrow window', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      for (const path of ['/instances', `/instances/${keys.incident}`]) {
        await page.goto(s.ui(path));
        await page.locator('h1').waitFor();
        await page.locator('.summary, .diagram-canvas[data-ready="true"]').first().waitFor();
        expect(await inPage<number>(page, 'document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(400);
        await expectAxeClean(`${path} at 400 px`);
      }
      // The Modify panel with an activation fits too.
      await page.getByRole('button', { name: 'Modify' }).click();
      await page.getByLabel('Element to activate').selectOption('review');
      await page.getByRole('button', { name: 'Add activation' }).click();
      await page.getByLabel('Variables for Review (JSON object, optional)').waitFor();
      expect(await inPage<number>(page, 'document.documentElement.scrollWidth'), 'the modify panel').toBeLessThanOrEqual(400);
      await expectAxeClean('the modify panel at 400 px');
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('raised no error in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
