import type { ExecutableElement, ExecutableProcess } from '../../../model/types.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { ElementInstance } from '../../state/types.js';

/**
 * What one kind of BPMN element does in each lifecycle step. `activate` runs after
 * ELEMENT_ACTIVATING and `complete` after ELEMENT_COMPLETING; both run again when an
 * incident they raised is resolved, so they must be safe to repeat from the start.
 * `terminate` releases what the element holds before ELEMENT_TERMINATED.
 */
export interface ElementProcessor {
  activate(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): void;
  complete(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): void;
  terminate(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): void;
}
