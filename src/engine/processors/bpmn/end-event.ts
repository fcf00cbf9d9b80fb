import { findErrorCatch, uncaughtErrorMessage } from '../../behaviors/errors.js';
import { triggerEvent } from '../../behaviors/event-triggers.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyInputMappings, applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { elementProcessor } from './element-processor.js';

/** None end events end their path; error end events throw their error to the nearest catch. */
export const endEventProcessor = elementProcessor({
  activate(ctx, instance, element) {
    if (!applyInputMappings(ctx, instance, element)) return;
    if (element.error) {
      const code = element.error.errorCode ?? '';
      const caught = findErrorCatch(ctx, instance, code);
      if (!caught) {
        raiseIncident(ctx, instance, 'UNHANDLED_ERROR_EVENT', uncaughtErrorMessage(code, ''));
        return;
      }
      toActivated(ctx, instance);
      triggerEvent(ctx, caught.activity, caught.boundary, {});
      return;
    }
    toActivated(ctx, instance);
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, []);
  },
});
