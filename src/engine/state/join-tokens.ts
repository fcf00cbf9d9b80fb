/**
 * Tokens waiting at joining gateways, kept on the flow scope that contains the gateway (per
 * `gatewayId \u0000 flowId`): a flow taken into a joining gateway leaves one; the gateway's
 * activation consumes one per incoming flow. A complex gateway that fired before every incoming
 * flow delivered marks the flows it consumed (`gatewayId \u0000 flowId \u0000 fired`) until its
 * reset. The appliers keep them; behaviors/join.ts decides when a gateway may fire.
 */
import type { ExecutableElement } from '../../model/types.js';
import type { ElementInstance } from './types.js';

/** A gateway that waits for tokens on its incoming flows before it activates. */
export function isJoiningGateway(element: ExecutableElement): boolean {
  if (element.type === 'COMPLEX_GATEWAY') return element.activationCondition !== null;
  return (element.type === 'PARALLEL_GATEWAY' || element.type === 'INCLUSIVE_GATEWAY') && element.incoming.length > 1;
}

/** Ids of the joining gateways in this scope that have tokens waiting. */
export function gatewaysWithTokens(scope: ElementInstance): Set<string> {
  const ids = new Set<string>();
  for (const key in scope.joinTokens) if (scope.joinTokens[key]! > 0) ids.add(key.slice(0, key.indexOf('\u0000')));
  return ids;
}

export function joinTokenKey(gatewayId: string, flowId: string): string {
  return `${gatewayId}\u0000${flowId}`;
}

export function tokensAt(scope: ElementInstance, gateway: ExecutableElement, flowId: string): number {
  return scope.joinTokens[joinTokenKey(gateway.id, flowId)] ?? 0;
}

/** One more token on `flowId` into `gatewayId`. */
export function addJoinToken(tokens: Readonly<Record<string, number>>, gatewayId: string, flowId: string): Record<string, number> {
  const key = joinTokenKey(gatewayId, flowId);
  return { ...tokens, [key]: (tokens[key] ?? 0) + 1 };
}

/** Tokens left after the join consumes one per incoming flow; empty entries are dropped. */
export function consumeJoinTokens(tokens: Readonly<Record<string, number>>, gateway: ExecutableElement): Record<string, number> {
  const next: Record<string, number> = { ...tokens };
  for (const flowId of gateway.incoming) {
    const key = joinTokenKey(gateway.id, flowId);
    const left = (next[key] ?? 0) - 1;
    if (left > 0) next[key] = left;
    else delete next[key];
  }
  return next;
}

/** Some token still waits at a join in this scope: the scope cannot complete yet. */
export function hasPendingTokens(scope: ElementInstance): boolean {
  for (const key in scope.joinTokens) if (scope.joinTokens[key]! > 0) return true;
  return false;
}

function firedKey(gatewayId: string, flowId: string): string {
  return `${gatewayId}\u0000${flowId}\u0000fired`;
}

/** A complex gateway fired and waits for the rest of its wave (its reset). */
export function awaitsReset(scope: ElementInstance, gateway: ExecutableElement): boolean {
  return gateway.incoming.some((flowId) => scope.joinTokens[firedKey(gateway.id, flowId)] !== undefined);
}

/** The incoming flows of a complex gateway that its firing did not consume a token from. */
export function flowsAwaitingReset(scope: ElementInstance, gateway: ExecutableElement): string[] {
  return gateway.incoming.filter((flowId) => scope.joinTokens[firedKey(gateway.id, flowId)] === undefined);
}

/**
 * A complex gateway's activation. Waiting for its start, it fires: one token per flow that has
 * one is consumed, and unless every flow delivered, those flows are marked until the reset.
 * Waiting for its reset, the rest of the wave is consumed (one token per unmarked flow) and the
 * marks go: it waits for its start again.
 */
export function consumeComplexTokens(tokens: Readonly<Record<string, number>>, scope: ElementInstance, gateway: ExecutableElement): Record<string, number> {
  const next: Record<string, number> = { ...tokens };
  const take = (flowId: string): boolean => {
    const key = joinTokenKey(gateway.id, flowId);
    const left = (next[key] ?? 0) - 1;
    if (left < 0) return false;
    if (left > 0) next[key] = left;
    else delete next[key];
    return true;
  };
  if (awaitsReset(scope, gateway)) {
    for (const flowId of gateway.incoming) {
      const mark = firedKey(gateway.id, flowId);
      if (next[mark] !== undefined) delete next[mark];
      else take(flowId);
    }
    return next;
  }
  const consumed = gateway.incoming.filter(take);
  if (consumed.length < gateway.incoming.length) for (const flowId of consumed) next[firedKey(gateway.id, flowId)] = 1;
  return next;
}
