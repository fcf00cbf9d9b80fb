import { canBeTriggered, triggerEvent } from '../../behaviors/event-triggers.js';
import { createTimer } from '../../behaviors/event-subscriptions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { TimerValue } from '../../records.js';
import { startProcessInstance } from '../../behaviors/process-instances.js';
import { nextOccurrence } from '../../behaviors/timer-cycles.js';

/** Driver command: a timer is due. */
export function timerTrigger(ctx: ProcessingContext, command: EngineCommand): void {
  const timer = ctx.state.timers.get(command.key);
  if (!timer || timer.value.dueDate > ctx.now) return ctx.discard();
  const instance = ctx.state.elementInstances.get(timer.value.elementInstanceKey);
  ctx.event('TIMER', 'TRIGGERED', timer.key, timer.value);
  if (timer.value.elementInstanceKey <= 0n) {
    startByTimer(ctx, timer.value);
    return;
  }
  if (!canBeTriggered(instance)) return;
  const event = ctx.models.get(instance.value.processDefinitionKey).elements.get(timer.value.targetElementId)!;
  // A non-interrupting cycle (boundary, event sub-process) fires again while its activity or scope runs.
  const next = (event.type === 'BOUNDARY_EVENT' || event.type === 'START_EVENT') && !event.cancelActivity ? nextOccurrence(timer.value) : null;
  if (next) createTimer(ctx, instance, { element: event, dueDate: next.dueDate, repetitions: next.repetitions, interval: next.interval, ...(next.cron ? { cron: next.cron } : {}) });
  triggerEvent(ctx, instance, event, {});
}

/** A timer start event came due: a new instance starts there; a cycle schedules its next round. */
function startByTimer(ctx: ProcessingContext, timer: TimerValue): void {
  const process = ctx.state.processes.usable(timer.processDefinitionKey);
  if (!process) return;
  startProcessInstance(ctx, process.value, {}, timer.targetElementId);
  const next = nextOccurrence(timer);
  if (next) ctx.event('TIMER', 'CREATED', ctx.nextKey(), next);
}
