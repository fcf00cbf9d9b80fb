/**
 * When a joining gateway fires, for every gateway kind, in one place:
 * - a parallel join fires once every incoming flow has delivered a token;
 * - an inclusive join fires once some incoming flow has, and no token can still arrive on the
 *   others: nothing active, about to be activated, or waiting at another join in the scope
 *   lies upstream of it (the model lists its upstream elements).
 * - a complex join waiting for its start fires once its activation condition is true for the
 *   tokens that arrived (complex-gateway.ts); having fired before every flow delivered, it waits
 *   for its reset: a token on each flow it did not consume, or none can still arrive there.
 * A path can die without reaching an inclusive or complex join (an end event, a terminated
 * branch), so joins with tokens are checked again whenever something in their scope ends.
 */
import type { ExecutableElement } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import { awaitsReset, flowsAwaitingReset, gatewaysWithTokens, isJoiningGateway, tokensAt } from '../state/join-tokens.js';
import type { ElementInstance } from '../state/types.js';
import { childValue } from './element-value.js';
import { activationHolds } from './activation.js';

/** Whether `gateway` may activate now in `scope`; non-joining elements always may. */
export function joinIsComplete(ctx: ProcessingContext, scope: ElementInstance, gateway: ExecutableElement): boolean {
  if (!isJoiningGateway(gateway)) return true;
  if (gateway.type === 'PARALLEL_GATEWAY') return gateway.incoming.every((flowId) => tokensAt(scope, gateway, flowId) > 0);
  if (gateway.type === 'COMPLEX_GATEWAY') return complexJoinIsComplete(ctx, scope, gateway);
  if (!gateway.incoming.some((flowId) => tokensAt(scope, gateway, flowId) > 0)) return false;
  return !tokenCanStillArrive(ctx, scope, new Set(gateway.joinUpstream ?? []));
}

function complexJoinIsComplete(ctx: ProcessingContext, scope: ElementInstance, gateway: ExecutableElement): boolean {
  // One held by an incident (its activation condition failed) is still there: the tokens wait for it.
  for (const childKey of ctx.state.elementInstances.childrenOf(scope.key)) {
    if (ctx.state.elementInstances.get(childKey)?.value.elementId === gateway.id) return false;
  }
  if (awaitsReset(scope, gateway)) {
    return flowsAwaitingReset(scope, gateway).every(
      (flowId) => tokensAt(scope, gateway, flowId) > 0 || !tokenCanStillArrive(ctx, scope, new Set(gateway.flowUpstream?.[flowId] ?? [])),
    );
  }
  if (!gateway.incoming.some((flowId) => tokensAt(scope, gateway, flowId) > 0)) return false;
  // A condition that cannot be evaluated lets the gateway activate, which raises the incident.
  const holds = activationHolds(ctx, scope, gateway);
  return !holds.ok || holds.value;
}

function tokenCanStillArrive(ctx: ProcessingContext, scope: ElementInstance, upstream: ReadonlySet<string>): boolean {
  for (const childKey of ctx.state.elementInstances.childrenOf(scope.key)) {
    const child = ctx.state.elementInstances.get(childKey);
    if (child && upstream.has(child.value.elementId)) return true;
  }
  for (const pending of ctx.pendingElementCommands()) {
    if (pending.kind === 'ACTIVATE' && pending.value.flowScopeKey === scope.key && upstream.has(pending.value.elementId)) return true;
  }
  for (const gatewayId of gatewaysWithTokens(scope)) if (upstream.has(gatewayId)) return true;
  return false;
}

/** Something in `scope` ended: inclusive and complex joins waiting there may be complete now. */
export function activateReadyJoins(ctx: ProcessingContext, scope: ElementInstance): void {
  const waiting = gatewaysWithTokens(scope);
  if (waiting.size === 0) return;
  const model = ctx.models.get(scope.value.processDefinitionKey);
  for (const gatewayId of waiting) {
    const gateway = model.elements.get(gatewayId)!;
    if ((gateway.type !== 'INCLUSIVE_GATEWAY' && gateway.type !== 'COMPLEX_GATEWAY') || !joinIsComplete(ctx, scope, gateway)) continue;
    ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(scope.value, scope.key, gateway) });
  }
}
