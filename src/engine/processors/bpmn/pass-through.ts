import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { elementProcessor } from './element-processor.js';

/**
 * Undefined and manual tasks, and none intermediate throw events: nothing to wait for, so they
 * complete straight after their activation (as in Zeebe), mappings applied on the way.
 */
export const passThroughProcessor = elementProcessor({
  activate(ctx, instance, element) {
    toActivated(ctx, instance);
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
});
