/**
 * Complex gateway (beyond Camunda 8.8). It forks like an inclusive gateway. Joining, it runs in
 * waves (BPMN's two phases): waiting for its start, it fires as soon as its activation condition
 * is true for the tokens that arrived (behaviors/join.ts decides when to try), consuming one token
 * per flow that delivered; it then waits for its reset — a token on each other flow, or none can
 * still come there — and consumes those without firing again (an activation that takes no flow),
 * ready for the next wave. Tokens for a flow already consumed in this wave wait for the next.
 */
import { activationHolds } from '../../behaviors/activation.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { terminate, toActivated, toCompleted, toCompleting } from '../../behaviors/transitions.js';
import { awaitsReset, isJoiningGateway } from '../../state/join-tokens.js';
import { elementProcessor } from './element-processor.js';
import { chooseInclusiveFlows, passThrough } from './gateways.js';

export const complexGatewayProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    const scope = ctx.state.elementInstances.get(instance.value.flowScopeKey)!;
    if (isJoiningGateway(element) && awaitsReset(scope, element)) {
      // The reset: the rest of the wave is consumed (ELEMENT_ACTIVATED's applier); no flow is taken.
      toActivated(ctx, instance);
      toCompleting(ctx, instance);
      toCompleted(ctx, instance, model, []);
      return;
    }
    if (isJoiningGateway(element)) {
      const holds = activationHolds(ctx, scope, element);
      if (!holds.ok) {
        raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the activation condition: ${holds.message}`);
        return;
      }
      // Only after a resolved incident: the condition no longer holds, the tokens wait on.
      if (!holds.value) {
        terminate(ctx, instance.key);
        return;
      }
    }
    const chosen = chooseInclusiveFlows(ctx, instance, element, model);
    if (chosen) passThrough(ctx, instance, model, chosen);
  },
});
