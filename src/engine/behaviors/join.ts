/**
 * When a joining gateway fires, for every gateway kind, in one place:
 * - a parallel join fires once every incoming flow has delivered a token;
 * - an inclusive join fires once some incoming flow has, and no token can still arrive on the
 *   others: nothing active, about to be activated, or waiting at another join in the scope
 *   lies upstream of it (the model lists its upstream elements).
 * A path can die without reaching an inclusive join (an end event, a terminated branch), so
 * joins with tokens are checked again whenever something in their scope ends.
 */
import type { ExecutableElement } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import { gatewaysWithTokens, isJoiningGateway, tokensAt } from '../state/join-tokens.js';
import type { ElementInstance } from '../state/types.js';
import { childValue } from './element-value.js';

/** Whether `gateway` may activate now in `scope`; non-joining elements always may. */
export function joinIsComplete(ctx: ProcessingContext, scope: ElementInstance, gateway: ExecutableElement): boolean {
  if (!isJoiningGateway(gateway)) return true;
  if (gateway.type === 'PARALLEL_GATEWAY') return gateway.incoming.every((flowId) => tokensAt(scope, gateway, flowId) > 0);
  if (!gateway.incoming.some((flowId) => tokensAt(scope, gateway, flowId) > 0)) return false;
  return !tokenCanStillArrive(ctx, scope, new Set(gateway.joinUpstream ?? []));
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

/** Something in `scope` ended: inclusive joins waiting there may be complete now. */
export function activateReadyJoins(ctx: ProcessingContext, scope: ElementInstance): void {
  const waiting = gatewaysWithTokens(scope);
  if (waiting.size === 0) return;
  const model = ctx.models.get(scope.value.processDefinitionKey);
  for (const gatewayId of waiting) {
    const gateway = model.elements.get(gatewayId)!;
    if (gateway.type !== 'INCLUSIVE_GATEWAY' || !joinIsComplete(ctx, scope, gateway)) continue;
    ctx.enqueue({ kind: 'ACTIVATE', key: ctx.nextKey(), value: childValue(scope.value, scope.key, gateway) });
  }
}
