import { childValue } from '../../behaviors/element-value.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { throwEscalation } from '../../behaviors/escalations.js';
import { throwSignal } from '../../behaviors/signals.js';
import { throwCompensation } from '../../behaviors/compensation.js';
import { elementProcessor } from './element-processor.js';

/**
 * A link throw event continues the flow at the link catch event of its name in the same scope
 * (a "go to" on the page); it has no outgoing flows of its own. (A none throw event passes
 * through: pass-through.ts.)
 */
export const linkThrowProcessor = elementProcessor({
  activate(ctx, instance, element) {
    toActivated(ctx, instance);
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    const scope = ctx.state.elementInstances.get(instance.value.flowScopeKey);
    // Queued before the throw completes, so the scope never looks idle in between.
    if (scope) ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(scope.value, scope.key, model.elements.get(element.link!.catchId!)!) });
    toCompleted(ctx, instance, model, []);
  },
});

/** An escalation throw event throws its code, then goes on (unless an interrupting catch ended its scope). */
export const escalationThrowProcessor = elementProcessor({
  activate(ctx, instance, element) {
    toActivated(ctx, instance);
    if (throwEscalation(ctx, instance, element.escalation!.escalationCode!)) completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
});

/** A signal throw event broadcasts its signal to every partition, then goes on. */
export const signalThrowProcessor = elementProcessor({
  activate(ctx, instance, element) {
    if (!throwSignal(ctx, instance, element)) return;
    toActivated(ctx, instance);
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
});

/**
 * A compensation throw event triggers the compensation of its scope (or of its `activityRef`) and
 * waits until every handler it started completed; with nothing to compensate it goes on at once.
 */
export const compensationThrowProcessor = elementProcessor({
  activate(ctx, instance, element) {
    toActivated(ctx, instance);
    if (!throwCompensation(ctx, instance, element)) completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
});
