import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { elementProcessor } from './element-processor.js';

export const startEventProcessor = elementProcessor({
  activate(ctx, instance) {
    toActivated(ctx, instance);
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
});
