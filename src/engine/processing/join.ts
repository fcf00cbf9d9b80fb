import type { ExecutableElement } from '../../model/types.js';
import type { ElementInstance } from '../state/types.js';

export function joinTokenKey(gatewayId: string, flowId: string): string {
  return `${gatewayId}\u0000${flowId}`;
}

/** A parallel join fires once every incoming flow has delivered at least one token. */
export function joinIsComplete(scope: ElementInstance, gateway: ExecutableElement): boolean {
  return gateway.incoming.every((flowId) => (scope.joinTokens[joinTokenKey(gateway.id, flowId)] ?? 0) > 0);
}

/** Tokens left after the join consumes one per incoming flow; empty entries are dropped. */
export function consumeJoinTokens(
  tokens: Readonly<Record<string, number>>,
  gateway: ExecutableElement,
): Record<string, number> {
  const next: Record<string, number> = { ...tokens };
  for (const flowId of gateway.incoming) {
    const key = joinTokenKey(gateway.id, flowId);
    const left = (next[key] ?? 0) - 1;
    if (left > 0) next[key] = left;
    else delete next[key];
  }
  return next;
}

export function hasPendingTokens(scope: ElementInstance): boolean {
  for (const key in scope.joinTokens) if (scope.joinTokens[key]! > 0) return true;
  return false;
}
