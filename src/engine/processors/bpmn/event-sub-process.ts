import { childValue } from '../../behaviors/element-value.js';
import { completeScopeWhenIdle, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { endListenersDone } from '../../behaviors/execution-listeners.js';
import { elementProcessor } from './element-processor.js';

/**
 * An event sub-process: started inside its scope by the event its start event waits for
 * (behaviors/event-triggers.ts), at that start event, which fires at once with the trigger's
 * variables; it completes once nothing inside is active and takes no flows. An interrupting
 * one has ended the rest of its scope first, so the scope completes after it.
 */
export const eventSubProcessProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    toActivated(ctx, instance);
    if (instance.payload.kind !== 'triggered') {
      // Activated by hand (ModifyProcessInstance): it runs from its start event, its scope untouched.
      const start = [...model.elements.values()].find((e) => e.type === 'START_EVENT' && e.flowScopeId === element.id);
      if (start) ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(instance.value, instance.key, start) });
      return;
    }
    const start = model.elements.get(instance.payload.eventId)!;
    ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(instance.value, instance.key, start), variables: instance.triggerVariables ?? {}, triggered: true });
  },
  onChildCompleted(ctx, scope, _child, flowsTaken) {
    completeScopeWhenIdle(ctx, scope, flowsTaken);
  },
  complete(ctx, instance, element, model) {
    if (!endListenersDone(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, []);
  },
});
