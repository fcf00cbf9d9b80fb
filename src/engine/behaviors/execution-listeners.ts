/**
 * Execution listeners (`zeebe:executionListeners`), as Zeebe runs them: the start listeners of an
 * element run one after the other after its input mappings and before its own behaviour (it stays
 * ACTIVATING); the end listeners after its output mappings, before it completes (it stays
 * COMPLETING). Each is a job; how many completed is kept on the element instance
 * (`listeners`, maintained by the JOB and PROCESS_INSTANCE appliers), so a replay finds the
 * same place. Type and retries are evaluated as the job is created; a failure there is an
 * incident on the element, whose resolution runs the step again from its first listener.
 */
import type { ExecutableElement, ExecutionListenerDefinition, ExecutionListenerEventType } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { JobListenerEventType } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { evalInteger, evalString } from './expressions.js';
import { raiseIncident } from './incidents.js';
import { createJob } from './jobs.js';
import { visibleVariables } from './variables.js';

const JOB_EVENT: Readonly<Record<ExecutionListenerEventType, JobListenerEventType>> = { start: 'START', end: 'END' };

export function listenersOf(element: ExecutableElement, eventType: ExecutionListenerEventType): ExecutionListenerDefinition[] {
  return element.executionListeners.filter((listener) => listener.eventType === eventType);
}

/**
 * Starts the next listener of the step (`start` while ACTIVATING, `end` while COMPLETING). True
 * when the step waits (a listener's job was created, or an incident raised); false when every
 * listener of the step has completed and the element goes on.
 */
export function listenerWaits(ctx: ProcessingContext, key: bigint, element: ExecutableElement, eventType: ExecutionListenerEventType): boolean {
  const listeners = listenersOf(element, eventType);
  if (listeners.length === 0) return false;
  const instance = ctx.state.elementInstances.get(key);
  if (!instance) return true;
  const next = listeners[instance.listeners?.done ?? 0];
  if (!next) return false;
  createListenerJob(ctx, instance, element, next);
  return true;
}

/** End listeners: true once they all completed (or there are none), so the element may complete. */
export function endListenersDone(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement): boolean {
  return !listenerWaits(ctx, instance.key, element, 'end');
}

/** Whether the end listeners of the completion in progress already began: its output mappings were applied. */
export function endListenersBegan(ctx: ProcessingContext, key: bigint): boolean {
  const instance = ctx.state.elementInstances.get(key);
  return instance?.state === 'COMPLETING' && (instance.listeners?.done ?? 0) > 0;
}

function createListenerJob(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, listener: ExecutionListenerDefinition): void {
  const vars = listener.type.kind === 'feel' || listener.retries.kind === 'feel' ? visibleVariables(ctx, instance.key) : {};
  const type = evalString(listener.type, vars, ctx.now);
  if (!type.ok) {
    raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the type of an execution listener: ${type.message}`);
    return;
  }
  const retries = evalInteger(listener.retries, vars, ctx.now);
  if (!retries.ok) {
    raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the retries of an execution listener: ${retries.message}`);
    return;
  }
  // The element's task headers, with the listener's own laid over them.
  const headers = { ...(element.job?.headers ?? element.userTask?.headers ?? {}), ...listener.headers };
  createJob(ctx, instance, element, type.value, retries.value, headers, { jobKind: 'EXECUTION_LISTENER', jobListenerEventType: JOB_EVENT[listener.eventType] });
}
