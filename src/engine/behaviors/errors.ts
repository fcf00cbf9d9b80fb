/** Where a thrown error is caught: the nearest boundary event that takes its code, outwards (through call activities too). */
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import { elementOf } from '../models.js';
import type { ProcessingContext } from '../processing/context.js';
import type { ElementInstance } from '../state/types.js';

export interface ErrorCatch {
  readonly activity: ElementInstance;
  readonly boundary: ExecutableElement;
}

/**
 * Finds the boundary event that catches `errorCode`, from the throwing element outwards.
 * On each level a boundary with the exact code wins over a catch-all one.
 */
export function findErrorCatch(ctx: ProcessingContext, thrower: ElementInstance, errorCode: string): ErrorCatch | null {
  let current: ElementInstance | undefined = thrower;
  while (current) {
    const model: ExecutableProcess = ctx.models.get(current.value.processDefinitionKey);
    const element = elementOf(model, current.value);
    let catchAll: ExecutableElement | null = null;
    for (const id of element.boundaryEventIds) {
      const boundary = model.elements.get(id)!;
      if (!boundary.error) continue;
      if (boundary.error.errorCode === errorCode) return { activity: current, boundary };
      if (boundary.error.errorCode === null && !catchAll) catchAll = boundary;
    }
    if (catchAll) return { activity: current, boundary: catchAll };
    // Past a called process's root, the error goes on to the call activity that started it.
    const next: bigint = current.value.flowScopeKey > 0n ? current.value.flowScopeKey : current.value.parentElementInstanceKey;
    current = next > 0n ? ctx.state.elementInstances.get(next) : undefined;
  }
  return null;
}

export function uncaughtErrorMessage(errorCode: string, errorMessage: string): string {
  const withMessage = errorMessage ? ` with message '${errorMessage}'` : '';
  return `Expected to throw an error event with the code '${errorCode}'${withMessage}, but it was not caught. No error events are available in the scope.`;
}
