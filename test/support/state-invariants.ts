/**
 * Invariants of engine state between commands, for randomized tests: what is open belongs to
 * something alive, and everything alive waits on something the state shows. Each check
 * returns the violations as sentences (empty when all hold), so a failing run can say which.
 */
import type { ElementInstance } from '../../src/engine/state/types.js';
import { type EngineHarness, partitionOf } from './engine-harness.js';

const CONTAINERS = new Set(['PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS', 'MULTI_INSTANCE_BODY', 'CALL_ACTIVITY', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE']);

/** Everything in the state that points at an element instance points at one that exists. */
export function orphans(h: EngineHarness): string[] {
  const out: string[] = [];
  const instanceOn = (key: bigint) => h.partitions.some((p) => p.state.elementInstances.get(key) !== undefined);
  for (const p of h.partitions) {
    const s = p.state;
    const exists = (key: bigint) => s.elementInstances.get(key) !== undefined;
    for (const i of s.elementInstances.table.values()) {
      if (i.value.flowScopeKey >= 0n && !exists(i.value.flowScopeKey)) out.push(`p${p.id}: element instance ${i.key} (${i.value.elementId}) has no flow scope ${i.value.flowScopeKey}`);
    }
    for (const j of s.jobs.table.values()) {
      const owner = s.elementInstances.get(j.value.elementInstanceKey);
      // A task listener's job is the one its user task's element instance runs now.
      const owned = j.value.jobKind === 'TASK_LISTENER' ? owner?.payload.kind === 'userTask' && owner.payload.listenerJobKey === j.key : owner?.payload.kind === 'job' && owner.payload.jobKey === j.key;
      if (!owner) out.push(`p${p.id}: job ${j.key} (${j.value.type}, ${j.state}) belongs to no element instance`);
      else if (!owned) out.push(`p${p.id}: job ${j.key} (${j.value.type}) is not the job its element instance ${owner.value.elementId} waits for`);
    }
    for (const t of s.userTasks.all()) {
      const owner = s.elementInstances.get(t.value.elementInstanceKey);
      if (!owner) out.push(`p${p.id}: user task ${t.key} (${t.value.elementId}, ${t.state}) belongs to no element instance`);
      else if (owner.payload.kind !== 'userTask' || owner.payload.userTaskKey !== t.key) out.push(`p${p.id}: user task ${t.key} is not the task its element instance ${owner.value.elementId} waits for`);
    }
    for (const c of s.conditionals.table.values()) {
      if (!exists(c.value.elementInstanceKey)) out.push(`p${p.id}: conditional subscription of ${c.value.catchEventId} belongs to no element instance`);
    }
    for (const c of s.compensations.table.values()) {
      const v = c.value;
      // A triggered one whose handler was terminated (an interrupting event) stays until its
      // process instance ends, as in Zeebe; only the process instance must still be there.
      if (!exists(v.processInstanceKey)) out.push(`p${p.id}: compensation subscription of ${v.compensableActivityId} belongs to no process instance`);
    }
    for (const t of s.timers.table.values()) {
      // A timer start event's timer belongs to its process definition, not to an instance.
      if (t.value.elementInstanceKey < 0n) {
        if (s.processes.usable(t.value.processDefinitionKey) === undefined) out.push(`p${p.id}: start timer ${t.key} (${t.value.targetElementId}) belongs to no process definition`);
        continue;
      }
      if (!exists(t.value.elementInstanceKey)) out.push(`p${p.id}: timer ${t.key} (${t.value.targetElementId}) belongs to no element instance`);
    }
    for (const m of s.processMessageSubscriptions.table.values()) {
      if (!exists(m.value.elementInstanceKey)) out.push(`p${p.id}: message subscription '${m.value.messageName}' (${m.state}) belongs to no element instance`);
    }
    for (const m of s.messageSubscriptions.table.values()) {
      if (!instanceOn(m.value.elementInstanceKey)) out.push(`p${p.id}: message-side subscription '${m.value.messageName}' belongs to no element instance`);
    }
    for (const g of s.signals.subscriptions.values()) {
      if (!exists(g.elementInstanceKey)) out.push(`p${p.id}: signal subscription '${g.signalName}' belongs to no element instance`);
    }
    for (const i of s.incidents.table.values()) {
      if (!exists(i.value.elementInstanceKey)) out.push(`p${p.id}: incident ${i.key} belongs to no element instance`);
    }
    for (const v of s.variables.table.values()) {
      if (!exists(v.scopeKey)) out.push(`p${p.id}: variable '${v.name}' lives in scope ${v.scopeKey}, which is gone`);
    }
    for (const c of s.calledInstances.calls.values()) {
      if (c.state !== 'CANCELING' && !exists(c.value.parentElementInstanceKey)) out.push(`p${p.id}: remote call of ${c.value.parentElementInstanceKey} (${c.state}) belongs to no element instance`);
    }
    for (const c of s.calledInstances.children.values()) {
      if (c.state === 'RUNNING' && !exists(c.value.processInstanceKey)) out.push(`p${p.id}: child ${c.value.processInstanceKey} of call activity ${c.value.parentElementInstanceKey} is gone`);
    }
    for (const d of s.distributions.values()) out.push(`p${p.id}: command ${d.value.valueType}:${d.value.intent} still being distributed to partition ${d.value.partitionId}`);
  }
  return out;
}

/**
 * Every element instance is at rest (ACTIVATED) and waits on something: a container on its
 * children, a task on its job, a catch event or event-based gateway on a timer or message
 * subscription. An incident is a wait too, but only those of `expected` types are not reported.
 */
export function stuck(h: EngineHarness, expected: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const p of h.partitions) {
    const s = p.state;
    for (const i of s.incidents.table.values()) {
      if (!expected.includes(i.value.errorType)) out.push(`p${p.id}: incident ${i.value.errorType} on ${i.value.elementId}: ${i.value.errorMessage}`);
    }
    for (const i of s.elementInstances.table.values()) {
      const what = `p${p.id}: ${i.value.bpmnElementType} ${i.value.elementId} (${i.key})`;
      if (i.state !== 'ACTIVATED') {
        out.push(`${what} is left ${i.state}`);
        continue;
      }
      if (!waitsOnSomething(h, p.id, i)) out.push(`${what} waits on nothing the state shows`);
    }
  }
  return out;
}

function waitsOnSomething(h: EngineHarness, partitionId: number, i: ElementInstance): boolean {
  const s = h.partition(partitionId).state;
  if (CONTAINERS.has(i.value.bpmnElementType)) {
    // A call activity waits on its child instance, which may run on another partition (docs/adr/008).
    if (i.payload.kind === 'callActivity') return h.partition(partitionOf(i.payload.calledInstanceKey)).state.elementInstances.get(i.payload.calledInstanceKey) !== undefined;
    return s.elementInstances.childrenOf(i.key).length > 0;
  }
  // An ad-hoc sub-process with nothing running waits for an ACTIVATE instruction.
  if (i.value.bpmnElementType === 'AD_HOC_SUB_PROCESS') return true;
  if (i.payload.kind === 'job') return s.jobs.get(i.payload.jobKey) !== undefined;
  if (i.payload.kind === 'userTask') return s.userTasks.get(i.payload.userTaskKey) !== undefined;
  // A compensation throw event waits for the handlers it started.
  if ([...s.compensations.table.values()].some((c) => c.value.throwEventInstanceKey === i.key)) return true;
  return (
    s.timers.ofElementInstance(i.key).length > 0 ||
    s.processMessageSubscriptions.ofElementInstance(i.key).length > 0 ||
    s.signals.ofElementInstance(i.key).length > 0 ||
    s.conditionals.ofElementInstance(i.key).length > 0
  );
}

/** Nothing of an ended process instance is left in any table. */
export function leftovers(h: EngineHarness, processInstanceKey: bigint): string[] {
  const out: string[] = [];
  for (const p of h.partitions) {
    const s = p.state;
    const count = (rows: Iterable<unknown>, pick: (row: never) => bigint) => [...rows].filter((r) => pick(r as never) === processInstanceKey).length;
    const found = {
      'element instances': count(s.elementInstances.table.values(), (r: ElementInstance) => r.value.processInstanceKey),
      jobs: count(s.jobs.table.values(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      timers: count(s.timers.table.values(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      'message subscriptions': count(s.processMessageSubscriptions.table.values(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      'message-side subscriptions': count(s.messageSubscriptions.table.values(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      'signal subscriptions': count(s.signals.subscriptions.values(), (r: { processInstanceKey: bigint }) => r.processInstanceKey),
      'user tasks': count(s.userTasks.all(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      'conditional subscriptions': count(s.conditionals.table.values(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      'compensation subscriptions': count(s.compensations.table.values(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      incidents: count(s.incidents.table.values(), (r: { value: { processInstanceKey: bigint } }) => r.value.processInstanceKey),
      'remote calls': count(s.calledInstances.calls.values(), (r: { value: { parentProcessInstanceKey: bigint } }) => r.value.parentProcessInstanceKey),
    };
    for (const [what, n] of Object.entries(found)) if (n > 0) out.push(`p${p.id}: ended instance ${processInstanceKey} still has ${n} ${what}`);
  }
  return out;
}
