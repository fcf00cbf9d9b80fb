/**
 * Tokens waiting at joining gateways, kept on the flow scope that contains the gateway (per
 * `gatewayId \u0000 flowId`): a flow taken into a joining gateway leaves one; the gateway's
 * activation consumes one per incoming flow. The appliers keep them; behaviors/join.ts
 * decides when a gateway may fire.
 */
import type { ExecutableElement } from '../../model/types.js';
import type { ElementInstance } from './types.js';

/** A gateway that waits for tokens on its incoming flows before it activates. */
export function isJoiningGateway(element: ExecutableElement): boolean {
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
