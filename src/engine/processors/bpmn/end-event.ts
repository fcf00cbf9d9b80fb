import { throwToCaller } from '../../behaviors/called-processes.js';
import { findErrorCatch, isCatch, uncaughtErrorMessage } from '../../behaviors/catching.js';
import { throwEscalation } from '../../behaviors/escalations.js';
import { throwSignal } from '../../behaviors/signals.js';
import { throwCompensation } from '../../behaviors/compensation.js';
import { triggerEvent } from '../../behaviors/event-triggers.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, runComplete, terminate, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { elementProcessor } from './element-processor.js';

/**
 * None end events end their path; error end events throw their error to the nearest catch;
 * compensation end events compensate their scope first; a
 * terminate end event ends its whole scope: whatever else runs in it is terminated and the
 * scope completes (the process, or a sub-process that then goes on along its outgoing flows).
 */
export const endEventProcessor = elementProcessor({
  activate(ctx, instance, element) {
    if (element.error) {
      const code = element.error.errorCode ?? '';
      const caught = findErrorCatch(ctx, instance, code);
      if (caught && !isCatch(caught)) {
        // Up to a call activity on another partition: the end event waits for its verdict.
        throwToCaller(ctx, instance, 'ERROR', code, '', {}, -1n, caught);
        return;
      }
      if (!caught) {
        raiseIncident(ctx, instance, 'UNHANDLED_ERROR_EVENT', uncaughtErrorMessage(code, ''));
        return;
      }
      toActivated(ctx, instance);
      triggerEvent(ctx, caught.activity, caught.boundary, {});
      return;
    }
    if (element.signal && !throwSignal(ctx, instance, element)) return;
    toActivated(ctx, instance);
    // A compensation end event waits for the handlers it started (compensation.ts completes it).
    if (element.compensation && throwCompensation(ctx, instance, element)) return;
    if (element.escalation && !throwEscalation(ctx, instance, element.escalation.escalationCode!)) return;
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    const scopeKey = instance.value.flowScopeKey;
    if (element.eventType === 'TERMINATE') {
      for (const sibling of ctx.state.elementInstances.childrenOf(scopeKey)) if (sibling !== instance.key) terminate(ctx, sibling);
    }
    toCompleted(ctx, instance, model, []);
    // At once, not queued: activations already queued in the scope must find it completed.
    if (element.eventType === 'TERMINATE') runComplete(ctx, scopeKey);
  },
});
