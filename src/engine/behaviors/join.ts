/**
 * When a joining gateway fires. One rule per gateway kind, in one place: a parallel join
 * fires once every incoming flow has delivered a token (the inclusive join, which waits only
 * for tokens that can still arrive, joins it here).
 */
import type { ExecutableElement } from '../../model/types.js';
import { isJoiningGateway, tokensAt } from '../state/join-tokens.js';
import type { ElementInstance } from '../state/types.js';

/** Whether `gateway` may activate now in `scope`; non-joining elements always may. */
export function joinIsComplete(scope: ElementInstance, gateway: ExecutableElement): boolean {
  if (!isJoiningGateway(gateway)) return true;
  return gateway.incoming.every((flowId) => tokensAt(scope, gateway, flowId) > 0);
}
