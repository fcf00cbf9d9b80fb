/**
 * Where a thrown error or escalation is caught: the nearest boundary event or event sub-process
 * start event that takes its code, from the thrower outwards: on each level the event
 * sub-processes of the scope it is in, then the boundary events of that scope (and from a called
 * process on to its call activity). A catch with the exact code wins over a catch-all one.
 * A called process whose call activity is on another partition ends the search here: the
 * caller's partition goes on with it (behaviors/called-processes.ts).
 */
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import { elementOf } from '../models.js';
import type { ProcessingContext } from '../processing/context.js';
import { partitionOfKey } from '../state/engine-state.js';
import type { ElementInstance } from '../state/types.js';

export interface Catch {
  readonly activity: ElementInstance;
  readonly boundary: ExecutableElement;
}

/** The search reached a called process's root whose call activity runs on another partition. */
export interface CallerElsewhere {
  readonly callActivityKey: bigint;
  /** The called process instance the throw comes out of. */
  readonly calledInstanceKey: bigint;
}

export type Found = Catch | CallerElsewhere | null;

export function isCatch(found: Found): found is Catch {
  return found !== null && 'boundary' in found;
}

export type ThrowKind = 'error' | 'escalation';

/** The code a boundary event catches: a string, null for every code, undefined when it does not catch this kind. */
function caughtCode(boundary: ExecutableElement, kind: ThrowKind): string | null | undefined {
  if (kind === 'error') return boundary.error ? boundary.error.errorCode : undefined;
  return boundary.escalation ? boundary.escalation.escalationCode : undefined;
}

export function findCatch(ctx: ProcessingContext, thrower: ElementInstance, kind: ThrowKind, code: string): Found {
  let current: ElementInstance | undefined = thrower;
  while (current) {
    const model: ExecutableProcess = ctx.models.get(current.value.processDefinitionKey);
    const element = elementOf(model, current.value);
    let catchAll: ExecutableElement | null = null;
    for (const id of element.boundaryEventIds) {
      const boundary = model.elements.get(id)!;
      const caught = caughtCode(boundary, kind);
      if (caught === undefined) continue;
      if (caught === code) return { activity: current, boundary };
      if (caught === null && !catchAll) catchAll = boundary;
    }
    if (catchAll) return { activity: current, boundary: catchAll };
    // Past a called process's root, it goes on to the call activity that started it.
    const next: bigint = current.value.flowScopeKey > 0n ? current.value.flowScopeKey : current.value.parentElementInstanceKey;
    if (next > 0n && partitionOfKey(next) !== ctx.partitionId) return { callActivityKey: next, calledInstanceKey: current.key };
    const from = current;
    current = next > 0n ? ctx.state.elementInstances.get(next) : undefined;
    // The scope it reached may have an event sub-process for it (not the one it was thrown in).
    if (current && from.value.flowScopeKey === current.key) {
      const scopeModel = ctx.models.get(current.value.processDefinitionKey);
      const found = eventSubProcessCatch(scopeModel, elementOf(scopeModel, current.value), kind, code, from.value.elementId);
      if (found) return { activity: current, boundary: found };
    }
  }
  return null;
}

function eventSubProcessCatch(model: ExecutableProcess, scope: ExecutableElement, kind: ThrowKind, code: string, cameFrom: string): ExecutableElement | null {
  let catchAll: ExecutableElement | null = null;
  for (const id of scope.eventSubProcessStartIds) {
    const start = model.elements.get(id)!;
    if (start.flowScopeId === cameFrom) continue;
    const caught = caughtCode(start, kind);
    if (caught === undefined) continue;
    if (caught === code) return start;
    if (caught === null && !catchAll) catchAll = start;
  }
  return catchAll;
}

export function findErrorCatch(ctx: ProcessingContext, thrower: ElementInstance, errorCode: string): Found {
  return findCatch(ctx, thrower, 'error', errorCode);
}

export function uncaughtErrorMessage(errorCode: string, errorMessage: string): string {
  const withMessage = errorMessage ? ` with message '${errorMessage}'` : '';
  return `Expected to throw an error event with the code '${errorCode}'${withMessage}, but it was not caught. No error events are available in the scope.`;
}
