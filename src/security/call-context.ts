/**
 * The principal travels with its call: attached to the request object (REST) or the call's
 * metadata object (gRPC) by the authentication hook, read by handlers (and by authorization).
 * A WeakMap rather than a header or a property: nothing a client sends can set it, and it goes
 * when the call does.
 */
import { ANONYMOUS, type Principal } from '../node/principal.js';

const principals = new WeakMap<object, Principal>();

export function attachPrincipal(carrier: object, principal: Principal): void {
  principals.set(carrier, principal);
}

/** The caller of a REST request or gRPC call (pass `call.metadata`); anonymous when nothing authenticated it (`--auth none`). */
export function principalOf(carrier: object): Principal {
  return principals.get(carrier) ?? ANONYMOUS;
}
