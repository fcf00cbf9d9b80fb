/**
 * Call activities whose child runs on another partition (docs/adr/008). The caller asks the
 * child's partition to create the child and, when the call activity ends first, to cancel it;
 * the child's partition hands back the child's variables when it completes, and an error or
 * escalation nobody in the child caught goes up to the call activity. Each of these is kept in
 * state until the other side confirms it, and re-sent until then (queries.ts).
 */
import type { ProcessingContext } from '../processing/context.js';
import type { CalledProcessInstanceValue, CalledProcessThrowValue, ProcessInstanceValue, ProcessValue, Variables } from '../records.js';
import { partitionOfKey } from '../state/engine-state.js';
import type { ElementInstance } from '../state/types.js';
import type { CallerElsewhere } from './catching.js';

const MASK_64 = (1n << 64n) - 1n;

/**
 * Where a call activity's child runs: a hash of the call activity's key over the partitions, so
 * the children of a deep or wide call tree spread out. A plain round robin over the key counter
 * would follow the keys each instance uses: a process that takes 12 keys per instance would
 * put every child on one partition out of 3 or 4. With one partition, always there.
 */
export function childPartition(callActivityKey: bigint, partitionCount: number): number {
  if (partitionCount <= 1) return 1;
  // splitmix64's finalizer: every bit of the key moves every bit of the hash.
  let x = callActivityKey & MASK_64;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  x ^= x >> 31n;
  return Number(x % BigInt(partitionCount)) + 1;
}

/** Whether an element instance key belongs to another partition than the one processing. */
export function isElsewhere(ctx: ProcessingContext, key: bigint): boolean {
  return partitionOfKey(key) !== ctx.partitionId;
}

/** The root of a called process, knowing its caller. */
export function calledRootValue(process: ProcessValue, childKey: bigint, parentProcessInstanceKey: bigint, parentElementInstanceKey: bigint): ProcessInstanceValue {
  return {
    bpmnProcessId: process.bpmnProcessId,
    version: process.version,
    processDefinitionKey: process.processDefinitionKey,
    processInstanceKey: childKey,
    elementId: process.bpmnProcessId,
    flowScopeKey: -1n,
    bpmnElementType: 'PROCESS',
    bpmnEventType: 'UNSPECIFIED',
    parentProcessInstanceKey,
    parentElementInstanceKey,
    tenantId: process.tenantId,
  };
}

/** The call activity asks `partitionId` to start the child with the variables it hands over. */
export function requestChild(ctx: ProcessingContext, callActivity: ElementInstance, process: ProcessValue, partitionId: number, variables: Variables): void {
  const value: CalledProcessInstanceValue = {
    parentProcessInstanceKey: callActivity.value.processInstanceKey,
    parentElementInstanceKey: callActivity.key,
    childPartitionId: partitionId,
    processInstanceKey: -1n,
    processDefinitionKey: process.processDefinitionKey,
    bpmnProcessId: process.bpmnProcessId,
    version: process.version,
    variables,
    tenantId: process.tenantId,
  };
  ctx.event('CALLED_PROCESS_INSTANCE', 'CREATING', callActivity.key, value);
  ctx.send({ partitionId, valueType: 'CALLED_PROCESS_INSTANCE', intent: 'CREATE', key: callActivity.key, value });
}

/** The call activity ends before its remote child: the child is cancelled (or never created). False when it has none there. */
export function cancelRemoteChild(ctx: ProcessingContext, callActivity: ElementInstance): boolean {
  const row = ctx.state.calledInstances.calls.get(callActivity.key);
  if (!row) return false;
  if (row.state === 'CANCELING') return true;
  cancelChild(ctx, { ...row.value, variables: {} });
  return true;
}

export function cancelChild(ctx: ProcessingContext, value: CalledProcessInstanceValue): void {
  ctx.event('CALLED_PROCESS_INSTANCE', 'CANCELING', value.parentElementInstanceKey, value);
  ctx.send({ partitionId: value.childPartitionId, valueType: 'CALLED_PROCESS_INSTANCE', intent: 'CANCEL', key: value.parentElementInstanceKey, value });
}

/** A child whose caller is on another partition completed: its variables go back. */
export function returnToCaller(ctx: ProcessingContext, root: ElementInstance, variables: Variables): void {
  const callKey = root.value.parentElementInstanceKey;
  const row = ctx.state.calledInstances.children.get(callKey);
  if (!row) return;
  const value: CalledProcessInstanceValue = { ...row.value, variables };
  ctx.event('CALLED_PROCESS_INSTANCE', 'RETURNING', callKey, value);
  ctx.send({ partitionId: partitionOfKey(callKey), valueType: 'CALLED_PROCESS_INSTANCE', intent: 'COMPLETE', key: callKey, value });
}

/**
 * An error or escalation left the child uncaught: the call activity above decides. The thrower
 * waits for the verdict (an interrupting catch above cancels it instead).
 */
export function throwToCaller(
  ctx: ProcessingContext,
  thrower: ElementInstance,
  kind: CalledProcessThrowValue['kind'],
  code: string,
  message: string,
  variables: Variables,
  jobKey: bigint,
  caller: CallerElsewhere,
): void {
  const throwKey = ctx.nextKey();
  const value: CalledProcessThrowValue = {
    kind,
    throwKey,
    code,
    message,
    variables,
    throwElementInstanceKey: thrower.key,
    throwElementId: thrower.value.elementId,
    throwProcessInstanceKey: thrower.value.processInstanceKey,
    jobKey,
    callActivityInstanceKey: caller.callActivityKey,
    calledProcessInstanceKey: caller.calledInstanceKey,
    caught: 'PENDING',
  };
  ctx.event('CALLED_PROCESS_INSTANCE', 'THROWING', throwKey, value);
  sendThrow(ctx, value);
}

export function sendThrow(ctx: ProcessingContext, value: CalledProcessThrowValue): void {
  ctx.send({ partitionId: partitionOfKey(value.callActivityInstanceKey), valueType: 'CALLED_PROCESS_INSTANCE', intent: 'THROW', key: value.throwKey, value });
}

export function answerThrow(ctx: ProcessingContext, value: CalledProcessThrowValue, caught: 'NONE' | 'NON_INTERRUPTING'): void {
  ctx.send({ partitionId: partitionOfKey(value.throwElementInstanceKey), valueType: 'CALLED_PROCESS_INSTANCE', intent: 'ANSWER_THROW', key: value.throwKey, value: { ...value, caught } });
}
