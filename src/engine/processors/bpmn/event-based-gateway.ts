import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { toActivated, toCompleted } from '../../behaviors/transitions.js';
import { elementProcessor } from './element-processor.js';

/**
 * An event-based gateway waits for the events its flows lead to (timers, messages) and takes
 * the flow of the first that fires; the others are closed (behaviors/event-triggers.ts).
 */
export const eventBasedGatewayProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    if (!subscribeToWaitingEvents(ctx, instance, element, model)) return;
    toActivated(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    closeSubscriptions(ctx, instance);
    const fired = instance.payload.kind === 'triggered' ? instance.payload.eventId : null;
    const flow = element.outgoing.find((flowId) => model.flows.get(flowId)!.targetId === fired);
    toCompleted(ctx, instance, model, flow ? [flow] : [], instance.triggerVariables ?? {});
  },
  terminate(ctx, instance) {
    closeSubscriptions(ctx, instance);
  },
});
