import type { ElementProcessor } from '../../processing/context.js';

const noop = (): void => {};
const proceed = (): boolean => true;

/** An element processor with no-op defaults for the steps and hooks the kind does not need. */
export function elementProcessor(parts: Partial<ElementProcessor>): ElementProcessor {
  return {
    activate: parts.activate ?? noop,
    complete: parts.complete ?? noop,
    terminate: parts.terminate ?? noop,
    onChildCompleting: parts.onChildCompleting ?? proceed,
    onChildCompleted: parts.onChildCompleted ?? noop,
    onChildTerminated: parts.onChildTerminated ?? noop,
  };
}
