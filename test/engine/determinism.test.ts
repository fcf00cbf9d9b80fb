import { describe, expect, it } from 'vitest';
import { subscriptionPartition } from '../../src/engine/behaviors/subscription-partition.js';
import { unansweredCommands } from '../../src/engine/queries.js';
import type { IncidentValue, ZenRecord } from '../../src/engine/records.js';
import {
  callActivity,
  chain,
  compensationBoundary,
  compensationThrow,
  end,
  error,
  errorBoundary,
  escalation,
  escalationBoundary,
  escalationThrow,
  eventBasedGateway,
  eventSubProcess,
  exclusiveGateway,
  inclusiveGateway,
  flow,
  forCompensation,
  message,
  messageBoundary,
  messageCatch,
  model,
  parallelGateway,
  scriptTask,
  serviceTask,
  start,
  subProcess,
  timerBoundary,
  timerCatch,
  userTask,
} from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable, partitionOf } from '../support/engine-harness.js';
import { jobKeyOf } from '../../src/engine/state/element-instances.js';

const PARTITIONS = 3;

const ORDER = model(
  'order',
  start(),
  scriptTask('sum', '=sum(items)', 'total'),
  compensationBoundary('sumUndone', 'sum', 'unsum'),
  forCompensation(scriptTask('unsum', '=true', 'refunded')),
  exclusiveGateway('big', 'small'),
  userTask('approve', { assignee: '=owner', candidateGroups: 'sales' }),
  exclusiveGateway('merge'),
  parallelGateway('fork'),
  serviceTask('pay', 'pay', { retries: '2', io: { inputs: [['=total', 'amount']], outputs: [['=paid', 'paid']] } }),
  errorBoundary('payFailed', 'pay', 'e'),
  timerBoundary('remind', 'pay', 'cycle', 'R2/PT1M', { interrupting: false }),
  end('reminded'),
  compensationThrow('refund'),
  end('failed'),
  messageCatch('shipped', 'ship'),
  parallelGateway('join'),
  end(),
  error('e', 'PAYMENT_FAILED'),
  message('ship', 'shipped', '=orderId'),
  ...chain('start', 'sum', 'big'),
  flow('big', 'approve', { id: 'large', condition: '=total > 100' }),
  flow('big', 'merge', { id: 'small' }),
  ...chain('approve', 'merge', 'fork'),
  ...chain('fork', 'pay', 'join'),
  ...chain('fork', 'shipped', 'join'),
  flow('join', 'end'),
  ...chain('payFailed', 'refund', 'failed'),
  flow('remind', 'reminded'),
);

const REMINDER = model(
  'reminder',
  start(),
  timerCatch('wait', 'duration', 'PT5M'),
  serviceTask('notify', 'notify'),
  messageBoundary('stop', 'notify', 'stopMsg'),
  end(),
  end('stopped'),
  message('stopMsg', 'cancel-reminder', '=orderId'),
  ...chain('start', 'wait', 'notify', 'end'),
  flow('stop', 'stopped'),
);

/**
 * Containers and the newer elements together: a sub-process with an inclusive split into a
 * parallel multi-instance task and a call activity (the reminder process), joined again, an
 * escalation caught without interrupting, a non-interrupting message event sub-process, then an
 * event-based gateway racing a message against a timer.
 */
const CONTAINERS = model(
  'containers',
  message('note', 'note', '=orderId'),
  message('confirm', 'confirmed', '=orderId'),
  escalation('esc', 'LATE'),
  start(),
  subProcess('handle', [
    start('h_start'),
    inclusiveGateway('split', 'split_merge'),
    serviceTask('check', 'check', { loop: { inputCollection: '=items', inputElement: 'item', outputCollection: 'checked', outputElement: '=item' } }),
    callActivity('remind', 'reminder'),
    inclusiveGateway('merge'),
    escalationThrow('late', 'esc'),
    end('h_end'),
    flow('h_start', 'split'),
    flow('split', 'check', { condition: '=count(items) > 1' }),
    flow('split', 'remind', { condition: '=owner = "ann"' }),
    flow('split', 'merge'),
    flow('check', 'merge'),
    flow('remind', 'merge'),
    ...chain('merge', 'late', 'h_end'),
    eventSubProcess('notes', 'note_start', '<bpmn:messageEventDefinition messageRef="note"/>', [serviceTask('record', 'record'), end('note_end'), ...chain('note_start', 'record', 'note_end')], false),
  ]),
  escalationBoundary('escalated', 'handle', 'esc', { interrupting: false }),
  end('escalation_end'),
  eventBasedGateway('wait'),
  messageCatch('confirmed', 'confirm'),
  timerCatch('expire', 'duration', 'PT2M'),
  end(),
  end('expired'),
  ...chain('start', 'handle', 'wait'),
  flow('escalated', 'escalation_end'),
  flow('wait', 'confirmed'),
  flow('wait', 'expire'),
  flow('confirmed', 'end'),
  flow('expire', 'expired'),
);

/** mulberry32: a small seeded PRNG, so a scenario is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ScenarioOptions {
  readonly steps: number;
  /** Probability that a cross-partition command is lost on delivery (it is re-sent later). */
  readonly loss: number;
}

/**
 * Runs a random but seeded mix of everything the engine does, on 3 partitions, with
 * cross-partition commands delivered in random order, some lost and re-sent.
 */
async function runScenario(seed: number, options: ScenarioOptions): Promise<EngineHarness> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;

  const h = new EngineHarness(PARTITIONS);
  await h.deploy({ name: 'order.bpmn', xml: ORDER }, { name: 'reminder.bpmn', xml: REMINDER }, { name: 'containers.bpmn', xml: CONTAINERS });
  h.autoDeliver = false;
  const roots: bigint[] = [];
  const orderIds = ['o-0', 'o-1', 'o-2', 'o-3', 'o-4'];

  const deliverSome = () => {
    let n = Math.floor(random() * (h.outbox.length + 1));
    while (n-- > 0 && h.outbox.length > 0) {
      const [command] = h.outbox.splice(Math.floor(random() * h.outbox.length), 1);
      if (chance(options.loss)) continue;
      h.process(command!.partitionId, { valueType: command!.valueType, intent: command!.intent, key: command!.key, value: command!.value });
    }
  };

  for (let step = 0; step < options.steps; step++) {
    const partition = 1 + Math.floor(random() * PARTITIONS);
    const action = random();
    if (action < 0.18) {
      const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * 80));
      roots.push(h.createInstance('order', { orderId: pick(orderIds), items, owner: pick(['ann', 'bob']) }, partition));
    } else if (action < 0.22) {
      roots.push(h.createInstance('reminder', { orderId: pick(orderIds) }, partition));
    } else if (action < 0.27) {
      const items = Array.from({ length: Math.floor(random() * 4) }, () => Math.floor(random() * 10));
      roots.push(h.createInstance('containers', { orderId: pick(orderIds), items, owner: pick(['ann', 'bob']) }, partition));
    } else if (action < 0.5) {
      const type = pick(['pay', 'notify', 'io.camunda.zeebe:userTask', 'check', 'record']);
      const batch = h.activateJobs(type, 1 + Math.floor(random() * 3), partition, 30_000);
      for (const [i, jobKey] of batch.jobKeys.entries()) {
        const roll = random();
        if (roll < 0.6) h.completeJob(jobKey, { paid: chance(0.5), by: batch.jobs[i]!.worker });
        else if (roll < 0.8) h.failJob(jobKey, batch.jobs[i]!.retries - 1, { retryBackoff: chance(0.5) ? 10_000 : 0, errorMessage: 'flaky' });
        else if (roll < 0.9 && type === 'pay') h.throwError(jobKey, pick(['PAYMENT_FAILED', 'UNKNOWN']), 'declined');
        // else: the worker forgets the job, it times out
      }
    } else if (action < 0.65) {
      const name = pick(['shipped', 'cancel-reminder', 'note', 'confirmed']);
      const correlationKey = pick(orderIds);
      const target = subscriptionPartition(correlationKey, PARTITIONS);
      const messageId = chance(0.3) ? `m-${Math.floor(random() * 5)}` : '';
      h.publishMessage(name, correlationKey, { at: step }, chance(0.5) ? 60_000 : 0, messageId, target);
    } else if (action < 0.8) {
      h.advanceTime(Math.floor(random() * 90_000));
    } else if (action < 0.86 && roots.length > 0) {
      h.cancelInstance(pick(roots));
    } else if (action < 0.93) {
      const open = h.records().filter((r) => r.recordType === 'EVENT' && r.valueType === 'INCIDENT' && r.intent === 'CREATED');
      const incident = open.length > 0 ? (pick(open) as ZenRecord<IncidentValue>) : undefined;
      if (incident && h.partition(partitionOf(incident.key)).state.incidents.get(incident.key)) {
        if (incident.value.jobKey > 0n) h.updateJobRetries(incident.value.jobKey, 1);
        h.resolveIncident(incident.key);
      }
    } else if (roots.length > 0) {
      h.setVariables(pick(roots), { note: step, owner: 'carl' });
    }
    deliverSome();
    if (step % 10 === 9) h.resendUnanswered();
  }

  // Let everything in flight settle: re-send until every partition heard back.
  for (let round = 0; round < 20 && (h.outbox.length > 0 || h.partitions.some((p) => unansweredCommands(p.state).length > 0)); round++) {
    h.resendUnanswered();
    h.deliver();
  }
  return h;
}

/** Cross-checks the tables of all partitions against each other. */
function checkInvariants(h: EngineHarness): void {
  for (const p of h.partitions) {
    const { state } = p;
    expect(unansweredCommands(state), `partition ${p.id} still waits for answers`).toEqual([]);
    for (const instance of state.elementInstances.table.values()) {
      if (instance.value.flowScopeKey > 0n) expect(state.elementInstances.get(instance.value.flowScopeKey), `scope of ${instance.key}`).toBeDefined();
      const children = state.elementInstances.childrenOf(instance.key).length;
      expect(instance.activeChildren, `active children of ${instance.key}`).toBe(children);
      if (jobKeyOf(instance) > 0n) expect(state.jobs.get(jobKeyOf(instance))?.value.elementInstanceKey).toBe(instance.key);
    }
    for (const job of state.jobs.table.values()) {
      const owner = state.elementInstances.get(job.value.elementInstanceKey);
      expect(owner && jobKeyOf(owner), `job ${job.key}`).toBe(job.key);
    }
    for (const timer of state.timers.table.values()) {
      expect(state.elementInstances.get(timer.value.elementInstanceKey), `timer ${timer.key}`).toBeDefined();
    }
    for (const instance of state.elementInstances.table.values()) {
      const { payload } = instance;
      if (payload.kind === 'multiInstance') expect(payload.started - payload.completed, `inner instances of ${instance.key}`).toBeGreaterThanOrEqual(instance.activeChildren);
      if (payload.kind === 'callActivity' && instance.state === 'ACTIVATED') {
        // The child may run on another partition (docs/adr/008).
        const childState = h.partition(partitionOf(payload.calledInstanceKey)).state;
        expect(childState.elementInstances.get(payload.calledInstanceKey)?.value.parentElementInstanceKey, `child of ${instance.key}`).toBe(instance.key);
      }
      if (instance.value.bpmnElementType === 'CALL_ACTIVITY' && instance.state === 'ACTIVATED') {
        expect(payload.kind, `call activity ${instance.key} knows its child`).toBe('callActivity');
      }
    }
    // Both sides of every remote call agree; nothing is left once a call ended.
    for (const row of state.calledInstances.calls.values()) {
      expect(row.state, `remote call of ${row.value.parentElementInstanceKey}`).toBe('CREATED');
      expect(state.elementInstances.get(row.value.parentElementInstanceKey)?.state).toBe('ACTIVATED');
      const child = h.partition(row.value.childPartitionId).state;
      expect(child.calledInstances.children.get(row.value.parentElementInstanceKey)?.state, `child side of ${row.value.parentElementInstanceKey}`).toBe('RUNNING');
      expect(child.elementInstances.get(row.value.processInstanceKey)?.value.parentElementInstanceKey).toBe(row.value.parentElementInstanceKey);
    }
    for (const row of state.calledInstances.children.values()) {
      expect(row.state).toBe('RUNNING');
      expect(h.partition(partitionOf(row.value.parentElementInstanceKey)).state.calledInstances.calls.get(row.value.parentElementInstanceKey), `caller side of ${row.value.parentElementInstanceKey}`).toBeDefined();
    }
    expect([...state.calledInstances.throws.values()], `partition ${p.id} throws waiting`).toEqual([]);
    // Subscriptions go when their process instance ends.
    for (const row of state.compensations.table.values()) {
      expect(state.elementInstances.get(row.value.processInstanceKey), `compensation subscription ${row.key}`).toBeDefined();
    }
    for (const incident of state.incidents.table.values()) {
      expect(state.elementInstances.get(incident.value.elementInstanceKey), `incident ${incident.key}`).toBeDefined();
    }
    // Both sides of every message subscription agree.
    for (const row of state.processMessageSubscriptions.table.values()) {
      expect(row.state).toBe('CREATED');
      expect(state.elementInstances.get(row.value.elementInstanceKey)?.state, 'subscribed element').toBe('ACTIVATED');
      const other = h.partition(row.value.subscriptionPartitionId).state.messageSubscriptions.get(row.value.elementInstanceKey, row.value.messageName);
      expect(other, `message side of ${row.value.elementInstanceKey}`).toBeDefined();
    }
    for (const row of state.messageSubscriptions.table.values()) {
      expect(row.correlating).toBe(false);
      const owner = h.partition(partitionOf(row.value.processInstanceKey)).state;
      expect(owner.processMessageSubscriptions.get(row.value.elementInstanceKey, row.value.messageName), `process side of ${row.value.elementInstanceKey} (${row.value.bpmnProcessId} ${row.value.messageName}, ${String(owner.elementInstances.get(row.value.elementInstanceKey)?.value.elementId)})`).toBeDefined();
    }
  }
}

describe('determinism', () => {
  it('replays a long mixed scenario into identical state on every partition', async () => {
    const h = await runScenario(8, { steps: 300, loss: 0 });
    // The scenario exercised what it is meant to.
    const events = new Set(h.records().filter((r) => r.recordType === 'EVENT').map((r) => `${r.valueType}:${r.intent}`));
    for (const expected of [
      'ESCALATION:ESCALATED',
      'JOB:COMPLETED',
      'JOB:FAILED',
      'JOB:ERROR_THROWN',
      'JOB:TIMED_OUT',
      'INCIDENT:CREATED',
      'INCIDENT:RESOLVED',
      'TIMER:TRIGGERED',
      'MESSAGE_SUBSCRIPTION:CORRELATED',
      'PROCESS_INSTANCE:ELEMENT_TERMINATED',
      'PROCESS_INSTANCE:SEQUENCE_FLOW_TAKEN',
      'COMPENSATION_SUBSCRIPTION:TRIGGERED',
      'COMPENSATION_SUBSCRIPTION:COMPLETED',
      'COMPENSATION_SUBSCRIPTION:DELETED',
      // Call activities whose child runs on another partition (docs/adr/008).
      'CALLED_PROCESS_INSTANCE:CREATED',
      'CALLED_PROCESS_INSTANCE:COMPLETED',
      'CALLED_PROCESS_INSTANCE:RELEASED',
    ]) {
      expect(events, expected).toContain(expected);
    }
    const kinds = new Set(h.records().filter((r) => r.recordType === 'EVENT' && r.intent === 'ELEMENT_ACTIVATED').map((r) => (r.value as { bpmnElementType: string }).bpmnElementType));
    for (const kind of ['SUB_PROCESS', 'MULTI_INSTANCE_BODY', 'CALL_ACTIVITY', 'INCLUSIVE_GATEWAY', 'EVENT_BASED_GATEWAY', 'EVENT_SUB_PROCESS']) expect(kinds, kind).toContain(kind);
    checkInvariants(h);
    await expectReplayable(h);
  });

  it('stays consistent when cross-partition commands are reordered and lost', async () => {
    // DETERMINISM_SEEDS=4,5,6 explores other seeds (a failure names the seed's scenario).
    for (const seed of (process.env.DETERMINISM_SEEDS ? process.env.DETERMINISM_SEEDS.split(',').map(Number) : [1, 2, 3])) {
      const h = await runScenario(seed, { steps: 200, loss: 0.15 });
      checkInvariants(h);
      await expectReplayable(h);
    }
  });

  it('produces identical records for the same commands on two fresh harnesses', async () => {
    const a = await runScenario(42, { steps: 200, loss: 0.1 });
    const b = await runScenario(42, { steps: 200, loss: 0.1 });
    for (let partition = 1; partition <= PARTITIONS; partition++) {
      expect(b.records(partition).length).toBe(a.records(partition).length);
      expect(b.records(partition)).toEqual(a.records(partition));
    }
    expect([...b.deferred]).toEqual([...a.deferred]);
    // And a different seed really is a different scenario.
    const c = await runScenario(43, { steps: 200, loss: 0.1 });
    expect(c.records(1)).not.toEqual(a.records(1));
    await expectReplayable(a);
    await expectReplayable(b);
  });
});
