import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryProjector } from '../../../src/history/projector.js';
import { mergePages, partitionSearch, type PageRequest } from '../../../src/history/search/merge.js';
import { fullSort, searchPartition, type SortKey } from '../../../src/history/search/run.js';
import { compileFilter } from '../../../src/history/search/filter.js';
import { USER_TASKS } from '../../../src/history/search/more-resources.js';
import type { ResourceName } from '../../../src/history/search/resources.js';
import { camundaUserTask, chain, decisionTask, end, message, messageBoundary, messageCatch, messageStart, model, start, subProcess } from '../../fixtures/bpmn-builder.js';
import { discountDmn, dmnDefinitions } from '../../fixtures/dmn-builder.js';

/** `strict`: a UNIQUE decision table both of whose rules match anything, so it always fails. */
const FAILING = dmnDefinitions(
  'failing',
  `<decision id="strict" name="Strict"><decisionTable id="t" hitPolicy="UNIQUE">
    <input id="i"><inputExpression typeRef="number"><text>x</text></inputExpression></input><output id="o" name="y" typeRef="number"/>
    <rule id="r1"><inputEntry><text>-</text></inputEntry><outputEntry><text>1</text></outputEntry></rule>
    <rule id="r2"><inputEntry><text>-</text></inputEntry><outputEntry><text>2</text></outputEntry></rule>
  </decisionTable></decision>`,
);
import { EngineHarness, expectReplayable } from '../../support/engine-harness.js';

function project(h: EngineHarness, partitions = 1): Database.Database[] {
  return Array.from({ length: partitions }, (_, i) => {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    new HistoryProjector(db).project(h.records(i + 1));
    return db;
  });
}

function search(dbs: Database.Database[], resource: ResourceName, filter: unknown, sort: SortKey[] = [], page: PageRequest = { limit: 100 }) {
  const request = partitionSearch({ resource, filter, sort }, page);
  return mergePages(dbs.map((db) => searchPartition(db, request)), fullSort(resource, sort), page);
}

const TASKS = model(
  'p',
  start(),
  subProcess('sub', [start('subStart'), camundaUserTask('task', { candidateGroups: 'sales, ops', candidateUsers: 'ann', priority: '30', dueDate: '2030-01-01T12:00:00Z' }), end('subEnd'), ...chain('subStart', 'task', 'subEnd')], { inputs: [['=order', 'inner']] }),
  end(),
  ...chain('start', 'sub', 'end'),
).replace('<bpmn:userTask id="task">', '<bpmn:userTask id="task" name="Approve order">');

describe('history of user tasks', () => {
  it('keeps completed and canceled tasks with their states, dates and attributes, and searches them', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TASKS);
    const done = h.createInstance('p', { order: 'o-1' });
    const doneTask = h.userTaskKeyOf('task', done);
    h.userTaskCommand('ASSIGN', doneTask, { assignee: 'ann' });
    h.now += 5_000;
    h.userTaskCommand('COMPLETE', doneTask, { variables: { approved: true } });
    const canceled = h.createInstance('p', { order: 'o-2' });
    h.cancelInstance(canceled);
    const open = h.createInstance('p', { order: 'o-3' });
    const openTask = h.userTaskKeyOf('task', open);
    h.userTaskCommand('UPDATE', openTask, { changeset: { priority: 90, candidateGroupsList: ['legal'] } });
    const [db] = project(h);

    const completed = search([db!], 'userTasks', { state: 'COMPLETED' }).items;
    expect(completed).toEqual([
      expect.objectContaining({
        userTaskKey: String(doneTask), name: 'Approve order', state: 'COMPLETED', assignee: 'ann', elementId: 'task',
        candidateGroups: ['sales', 'ops'], candidateUsers: ['ann'], priority: 30, dueDate: '2030-01-01T12:00:00.000Z',
        processInstanceKey: String(done), processDefinitionId: 'p', processDefinitionVersion: 1, tenantId: '<default>',
      }),
    ]);
    expect(Date.parse(completed[0]!.completionDate as string) - Date.parse(completed[0]!.creationDate as string)).toBe(5_000);
    expect(search([db!], 'userTasks', { state: 'CANCELED' }).items.map((t) => t.processInstanceKey)).toEqual([String(canceled)]);
    expect(search([db!], 'userTasks', { state: 'CREATED' }).items).toEqual([expect.objectContaining({ userTaskKey: String(openTask), priority: 90, candidateGroups: ['legal'] })]);
    expect(search([db!], 'userTasks', { candidateGroup: 'sales' }).page.totalItems).toBe(2);
    expect(search([db!], 'userTasks', { candidateGroup: { $in: ['legal', 'nobody'] } }).items.map((t) => t.userTaskKey)).toEqual([String(openTask)]);
    expect(search([db!], 'userTasks', { candidateUser: 'ann', assignee: { $exists: false } }).page.totalItems).toBe(2);
    expect(search([db!], 'userTasks', { priority: { $gte: 50 } }).items.map((t) => t.userTaskKey)).toEqual([String(openTask)]);
    expect(search([db!], 'userTasks', { completionDate: { $exists: true } }).page.totalItems).toBe(2);
    const byPriority = search([db!], 'userTasks', {}, [{ field: 'priority', order: 'DESC' }]).items.map((t) => t.priority);
    expect(byPriority).toEqual([90, 30, 30]);
    expect(() => search([db!], 'userTasks', {}, [{ field: 'candidateGroup', order: 'ASC' }])).toThrow(/cannot be sorted/);
    await expectReplayable(h);
  });

  it("finds a task's variables: its own scope's and those of the scopes around it", async () => {
    const h = new EngineHarness();
    await h.deployProcess(TASKS);
    const pi = h.createInstance('p', { order: 'o-1' });
    const task = h.userTaskKeyOf('task', pi);
    h.setVariables(h.elementKeyOf('task', pi), { note: 'local' }, true);
    const other = h.createInstance('p', { order: 'o-2' });
    const [db] = project(h);
    const variables = search([db!], 'userTaskVariables', { userTaskKey: String(task) }, [{ field: 'name', order: 'ASC' }]).items;
    expect(variables.map((v) => `${v.name}=${v.value}`)).toEqual(['inner="o-1"', 'note="local"', 'order="o-1"']);
    expect(search([db!], 'userTaskVariables', { userTaskKey: String(h.userTaskKeyOf('task', other)), name: 'order' }).items.map((v) => v.value)).toEqual(['"o-2"']);
    await expectReplayable(h);
  });

  it("filters tasks by their process instance's variables and by their own local ones", async () => {
    const h = new EngineHarness();
    await h.deployProcess(TASKS);
    const first = h.createInstance('p', { order: 'o-1', amount: 12, customer: { name: 'ann', tier: 'gold' } });
    const firstTask = h.userTaskKeyOf('task', first);
    h.setVariables(h.elementKeyOf('task', first), { note: 'urgent' }, true);
    const second = h.createInstance('p', { order: 'o-2', amount: 7 });
    const secondTask = h.userTaskKeyOf('task', second);
    h.setVariables(h.elementKeyOf('task', second), { note: 'later' }, true);
    // A finished task keeps its variables as they were.
    const third = h.createInstance('p', { order: 'o-3', amount: 12 });
    const thirdTask = h.userTaskKeyOf('task', third);
    h.userTaskCommand('COMPLETE', thirdTask, { variables: { approved: true } });
    const [db] = project(h);
    const tasks = (filter: Record<string, unknown>) => search([db!], 'userTasks', filter, [{ field: 'userTaskKey', order: 'ASC' }]).items.map((t) => t.userTaskKey);
    const keys = (...k: bigint[]) => k.map(String);

    expect(tasks({ processInstanceVariables: [{ name: 'order', value: '"o-1"' }] })).toEqual(keys(firstTask));
    // JSON is compared as the history writes it; a bare word is a string.
    expect(tasks({ processInstanceVariables: [{ name: 'amount', value: '12.0' }] })).toEqual(keys(firstTask, thirdTask));
    expect(tasks({ processInstanceVariables: [{ name: 'order', value: 'o-2' }] })).toEqual(keys(secondTask));
    expect(tasks({ processInstanceVariables: [{ name: 'customer', value: '{ "name": "ann", "tier": "gold" }' }] })).toEqual(keys(firstTask));
    // Every entry must match.
    expect(tasks({ processInstanceVariables: [{ name: 'amount', value: '12' }, { name: 'order', value: { $neq: '"o-1"' } }] })).toEqual(keys(thirdTask));
    expect(tasks({ processInstanceVariables: [{ name: 'order', value: { $in: ['"o-2"', '"o-3"'] } }] })).toEqual(keys(secondTask, thirdTask));
    expect(tasks({ processInstanceVariables: [{ name: 'order', value: { $like: '"o-*' } }], state: 'CREATED' })).toEqual(keys(firstTask, secondTask));
    // A variable set by the completion is the process instance's too.
    expect(tasks({ processInstanceVariables: [{ name: 'approved', value: 'true' }] })).toEqual(keys(thirdTask));
    expect(tasks({ processInstanceVariables: [{ name: 'customer', value: { $exists: false } }] })).toEqual(keys(secondTask, thirdTask));
    // The subprocess's input is not the process instance's, and a local variable is not either.
    expect(tasks({ processInstanceVariables: [{ name: 'inner', value: { $exists: true } }] })).toEqual([]);
    expect(tasks({ processInstanceVariables: [{ name: 'note', value: '"urgent"' }] })).toEqual([]);

    expect(tasks({ localVariables: [{ name: 'note', value: '"urgent"' }] })).toEqual(keys(firstTask));
    expect(tasks({ localVariables: [{ name: 'note', value: { $exists: true } }], processInstanceVariables: [{ name: 'amount', value: '7' }] })).toEqual(keys(secondTask));
    expect(tasks({ localVariables: [{ name: 'order', value: { $exists: true } }] })).toEqual([]);
    expect(search([db!], 'userTasks', { localVariables: [{ name: 'note', value: { $notIn: ['"urgent"'] } }] }).page.totalItems).toBe(1);

    expect(() => tasks({ processInstanceVariables: { name: 'order', value: '"o-1"' } })).toThrow(/'processInstanceVariables' expects a list of \{name, value\}/);
    expect(() => tasks({ localVariables: [{ value: '"x"' }] })).toThrow(/'localVariables\[0\]\.name' expects a variable name/);
    expect(() => tasks({ localVariables: [{ name: 'note' }] })).toThrow(/'localVariables\[0\]\.value' is required/);
    expect(() => tasks({ processInstanceVariables: [{ name: 'amount', value: { $gt: '5' } }] })).toThrow(/Operator '\$gt' does not apply to filter field 'processInstanceVariables\[0\]\.value'/);
    expect(() => tasks({ processInstanceVariables: [{ name: 'amount', value: '5', scope: 'x' }] })).toThrow(/Unknown property 'scope'/);
    expect(() => search([db!], 'userTasks', {}, [{ field: 'localVariables', order: 'ASC' }])).toThrow(/cannot be sorted/);
    await expectReplayable(h);
  });

  it('looks the filtered variables up by scope and name in an index', () => {
    const db = new Database(':memory:');
    new HistoryProjector(db);
    const { where, params } = compileFilter(USER_TASKS, { processInstanceVariables: [{ name: 'a', value: '1' }], localVariables: [{ name: 'b', value: { $like: '*' } }] });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT 1 FROM ${USER_TASKS.table} WHERE ${where.join(' AND ')}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
    expect(plan.filter((step) => step.includes('h_variable'))).toEqual([
      expect.stringContaining('USING INDEX h_variable_scope (scope_key=? AND name=?)'),
      expect.stringContaining('USING INDEX h_variable_scope (scope_key=? AND name=?)'),
    ]);
  });
});

describe('history of message subscriptions and correlations', () => {
  const CATCH = model(
    'm',
    message('msg', 'paid', '=orderId'),
    message('stop', 'stopped', '=orderId'),
    start(),
    messageCatch('wait', 'msg'),
    end(),
    ...chain('start', 'wait', 'end'),
  );
  const STARTED = model('s', message('go', 'go', '=k'), messageStart('start', 'go'), end(), ...chain('start', 'end'));

  it('shows subscriptions as CREATED, CORRELATED or DELETED and one row per correlation', async () => {
    const h = new EngineHarness();
    await h.deployProcess(CATCH);
    await h.deployProcess(STARTED, 'started.bpmn');
    const paid = h.createInstance('m', { orderId: 'o-1' });
    const waiting = h.createInstance('m', { orderId: 'o-2' });
    const gone = h.createInstance('m', { orderId: 'o-3' });
    h.deliver();
    h.publishMessage('paid', 'o-1', { amount: 5 });
    h.deliver();
    h.cancelInstance(gone);
    h.deliver();
    h.publishMessage('go', '', {});
    h.deliver();
    const [db] = project(h);

    const states = search([db!], 'messageSubscriptions', { messageName: 'paid' }, [{ field: 'processInstanceKey', order: 'ASC' }]).items;
    expect(states.map((s) => [s.processInstanceKey, s.messageSubscriptionState])).toEqual([
      [String(paid), 'CORRELATED'],
      [String(waiting), 'CREATED'],
      [String(gone), 'DELETED'],
    ]);
    expect(states[0]).toMatchObject({ elementId: 'wait', correlationKey: 'o-1', processDefinitionId: 'm', messageSubscriptionKey: states[0]!.elementInstanceKey });

    const correlated = search([db!], 'correlatedMessages', {}, [{ field: 'messageName', order: 'ASC' }]).items;
    expect(correlated).toEqual([
      expect.objectContaining({ messageName: 'go', elementId: 'start', processDefinitionId: 's', partitionId: 1 }),
      expect.objectContaining({ messageName: 'paid', correlationKey: 'o-1', elementId: 'wait', processInstanceKey: String(paid), partitionId: 1 }),
    ]);
    expect(correlated[1]!.subscriptionKey).toBe(correlated[1]!.elementInstanceKey);
    expect(correlated[0]!.elementInstanceKey).toBeUndefined();
    expect(search([db!], 'correlatedMessages', { processInstanceKey: String(paid) }).page.totalItems).toBe(1);
    await expectReplayable(h);
  });
});

describe('history of decisions', () => {
  it('keeps definitions and requirements until deleted, and one instance per evaluated decision', async () => {
    const h = new EngineHarness();
    await h.deploy({ name: 'pricing.dmn', xml: discountDmn() }, { name: 'order.bpmn', xml: model('order', start(), decisionTask('rule', 'message', 'result'), end(), ...chain('start', 'rule', 'end')) });
    await h.deploy({ name: 'failing.dmn', xml: FAILING });
    const pi = h.createInstance('order', { customer: 'gold', orderSize: 12 });
    h.process(1, { valueType: 'DECISION_EVALUATION', intent: 'EVALUATE', key: -1n, value: { decisionKey: -1n, decisionId: 'strict', tenantId: '<default>', variables: { x: 1 } } });
    let [db] = project(h);

    const definitions = search([db!], 'decisionDefinitions', {}, [{ field: 'decisionDefinitionId', order: 'ASC' }]).items;
    expect(definitions.map((d) => [d.decisionDefinitionId, d.name, d.version, d.decisionRequirementsId])).toEqual([
      ['discount', 'Discount', 1, 'pricing'],
      ['message', 'Message', 1, 'pricing'],
      ['strict', 'Strict', 1, 'failing'],
    ]);
    const [drg] = search([db!], 'decisionRequirements', { decisionRequirementsId: 'pricing' }).items;
    expect(drg).toMatchObject({ decisionRequirementsName: 'Pricing', version: 1, resourceName: 'pricing.dmn', tenantId: '<default>' });
    const [xml] = search([db!], 'decisionXml', { decisionDefinitionKey: definitions[0]!.decisionDefinitionKey }).items;
    expect(xml!.xml).toContain('<decision id="discount"');

    const instances = search([db!], 'decisionInstances', { processInstanceKey: String(pi) }, [{ field: 'decisionEvaluationInstanceKey', order: 'ASC' }]).items;
    const evaluationKey = instances[0]!.decisionEvaluationKey as string;
    expect(instances).toEqual([
      expect.objectContaining({ decisionEvaluationInstanceKey: `${evaluationKey}-1`, decisionDefinitionId: 'discount', decisionDefinitionType: 'DECISION_TABLE', result: '0.15', state: 'EVALUATED' }),
      expect.objectContaining({ decisionEvaluationInstanceKey: `${evaluationKey}-2`, decisionDefinitionId: 'message', decisionDefinitionType: 'LITERAL_EXPRESSION', result: '"discount 0.15"', elementInstanceKey: expect.any(String) }),
    ]);
    expect(instances[0]).not.toHaveProperty('matchedRules');
    const [details] = search([db!], 'decisionInstanceDetails', { decisionEvaluationInstanceKey: `${evaluationKey}-1` }).items;
    expect(details!.matchedRules).toEqual([{ ruleId: 'gold', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'out1', outputName: 'discount', outputValue: '0.15' }] }]);
    expect(details!.evaluatedInputs).toEqual([expect.objectContaining({ inputId: 'in1', inputValue: '"gold"' }), expect.objectContaining({ inputId: 'in2', inputValue: '12' })]);
    const [failed] = search([db!], 'decisionInstances', { state: 'FAILED' }).items;
    expect(failed).toMatchObject({ decisionDefinitionId: 'strict', evaluationFailure: expect.stringContaining("Expected to evaluate decision 'strict'") });
    expect(failed).not.toHaveProperty('processInstanceKey');

    h.deleteResource(BigInt(drg!.decisionRequirementsKey as string));
    h.deliver();
    [db] = project(h);
    expect(search([db!], 'decisionDefinitions', {}).items.map((d) => d.decisionDefinitionId)).toEqual(['strict']);
    expect(search([db!], 'decisionRequirements', {}).items.map((d) => d.decisionRequirementsId)).toEqual(['failing']);
    expect(search([db!], 'decisionInstances', {}).page.totalItems).toBe(3);
    await expectReplayable(h);
  });
});
