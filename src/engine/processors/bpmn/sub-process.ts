import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { childValue } from '../../behaviors/element-value.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeScopeWhenIdle, startScopeAt, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { elementProcessor } from './element-processor.js';
import { deleteCompensationSubscriptionsIn } from '../../behaviors/compensation.js';

/**
 * An embedded sub-process: a scope of its own (its input mappings are its local variables),
 * started at its none start event, completed once nothing inside is active; boundary events
 * wait on it as on a task, and terminating it terminates what runs inside.
 */
export const subProcessProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    if (!subscribeToWaitingEvents(ctx, instance, element, model)) return;
    toActivated(ctx, instance);
    const startAt = ctx.activation?.startAt;
    if (startAt) {
      startScopeAt(ctx, instance, model, startAt);
      return;
    }
    const start = model.elements.get(element.noneStartEventId!)!;
    ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(instance.value, instance.key, start) });
  },
  onChildCompleted(ctx, scope, _child, flowsTaken) {
    completeScopeWhenIdle(ctx, scope, flowsTaken);
  },
  complete(ctx, instance, element, model) {
    closeSubscriptions(ctx, instance);
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
  terminate(ctx, instance) {
    closeSubscriptions(ctx, instance);
    deleteCompensationSubscriptionsIn(ctx, instance);
  },
});
