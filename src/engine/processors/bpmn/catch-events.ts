import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { elementProcessor } from './element-processor.js';

/** Intermediate timer/message catch events wait for their trigger after activation; a link catch passes on at once. */
export const intermediateCatchEventProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    if (element.link || instance.triggerVariables !== null) {
      // Entered from its link throw, or fired already (after an event-based gateway): nothing to wait for.
      toActivated(ctx, instance);
      completeLater(ctx, instance);
      return;
    }
    if (!subscribeToWaitingEvents(ctx, instance, element, model)) return;
    toActivated(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    closeSubscriptions(ctx, instance);
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
  terminate(ctx, instance) {
    closeSubscriptions(ctx, instance);
  },
});

/**
 * A receive task waits for its message (and its boundary events) like a message catch event;
 * the message's variables reach its output mappings, or go up to the process without them.
 */
export const receiveTaskProcessor = intermediateCatchEventProcessor;

/** Boundary events are activated by their trigger and complete straight away. */
export const boundaryEventProcessor = elementProcessor({
  activate(ctx, instance) {
    toActivated(ctx, instance);
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
});
