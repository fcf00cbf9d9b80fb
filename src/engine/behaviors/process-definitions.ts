/**
 * Deleting a process definition (DeleteResource). It is taken out of use at once: no longer found
 * by id or version, its start events give way to the previous version's. Instances already running
 * on it go on, so the definition itself stays (by key) until the last of them has ended.
 */
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { ProcessValue, TimerValue } from '../records.js';
import type { ProcessRow } from '../state/types.js';
import { planTimer } from './event-subscriptions.js';
import { tenantOf } from '../tenants.js';

export function timerStartEvents(process: ExecutableProcess): ExecutableElement[] {
  return [...process.elements.values()].filter((e) => e.type === 'START_EVENT' && e.flowScopeId === process.id && e.timer !== null);
}

/** The definition as its deletion records name it: without its XML, which may be large (as in Zeebe). */
function deletionValue(process: ProcessValue): ProcessValue {
  return { ...process, resource: '', checksum: '' };
}

/** Takes `row` out of use; removes it too when no instance runs on it. `startEventsHere`: this partition holds the start timers. */
export function deleteProcessDefinition(ctx: ProcessingContext, row: ProcessRow, startEventsHere: boolean): void {
  const tenantId = tenantOf(row.value.tenantId);
  const wasLatest = ctx.state.processes.latest(row.value.bpmnProcessId, tenantId)?.key === row.key;
  ctx.event('PROCESS', 'DELETING', row.key, deletionValue(row.value));
  for (const timerKey of ctx.state.timers.ofElementInstance(-1n)) {
    const timer = ctx.state.timers.get(timerKey)!;
    if (timer.value.processDefinitionKey === row.key) ctx.event('TIMER', 'CANCELED', timerKey, timer.value);
  }
  const previous = wasLatest ? ctx.state.processes.latest(row.value.bpmnProcessId, tenantId) : undefined;
  if (previous && startEventsHere) scheduleStartTimersOf(ctx, previous);
  removeDeletedDefinition(ctx, row.key);
}

/** A definition being deleted goes for good once no instance runs on it any more. */
export function removeDeletedDefinition(ctx: ProcessingContext, processDefinitionKey: bigint): void {
  const row = ctx.state.processes.get(processDefinitionKey);
  if (!row?.deleting || ctx.state.elementInstances.hasInstancesOf(processDefinitionKey)) return;
  ctx.event('PROCESS', 'DELETED', processDefinitionKey, deletionValue(row.value));
}

/** The version that is the latest again schedules its timer start events anew, from now. */
function scheduleStartTimersOf(ctx: ProcessingContext, row: ProcessRow): void {
  if (!ctx.models.has(row.key)) return;
  for (const start of timerStartEvents(ctx.models.get(row.key))) {
    const planned = planTimer(start, {}, ctx.now);
    if (!planned.ok) continue; // it was evaluated when the version was deployed
    const timer: TimerValue = {
      elementInstanceKey: -1n,
      processInstanceKey: -1n,
      processDefinitionKey: row.key,
      dueDate: planned.value.dueDate,
      targetElementId: start.id,
      repetitions: planned.value.repetitions,
      interval: planned.value.interval,
      tenantId: row.value.tenantId,
    };
    ctx.event('TIMER', 'CREATED', ctx.nextKey(), timer);
  }
}
