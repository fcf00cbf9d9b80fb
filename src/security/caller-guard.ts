/**
 * What each REST request and gRPC call runs with, by its caller: the node's API seen through the
 * caller's tenants (`--multi-tenancy`, `ZenNode.forCaller`), then checked against the caller's
 * permissions (`--authorizations`, AuthorizationGuard). Tenants come first, so a request naming
 * another tenant is refused naming the tenant, and the permission checks' own lookups see only
 * the caller's tenants.
 */
import type { FastifyRequest } from 'fastify';
import type { GrpcGuard } from '../api/grpc/types.js';
import type { RestContext, RestGuard } from '../api/rest/types.js';
import type { ZenApi } from '../node/api.js';
import type { AuthorizationGuard } from './authorization/guard.js';
import { principalOf } from './call-context.js';
import type { Principal } from '../node/principal.js';

/** An API that can narrow itself to a caller's tenants (ZenNode). */
export interface CallerScoped {
  forCaller(principal: Principal): ZenApi;
}

function isCallerScoped(api: ZenApi): api is ZenApi & CallerScoped {
  return typeof (api as Partial<CallerScoped>).forCaller === 'function';
}

export class CallerGuard implements RestGuard, GrpcGuard {
  constructor(
    /** `--multi-tenancy` under `--auth basic|oidc`: the API narrowed to the caller's tenants. */
    private readonly tenants: boolean,
    private readonly authorizations: AuthorizationGuard | null,
  ) {}

  private scoped(api: ZenApi, principal: Principal): ZenApi {
    return this.tenants && isCallerScoped(api) ? api.forCaller(principal) : api;
  }

  api(api: ZenApi, principal: Principal): ZenApi {
    const scoped = this.scoped(api, principal);
    return this.authorizations ? this.authorizations.api(scoped, principal) : scoped;
  }

  forRequest(ctx: RestContext, request: FastifyRequest): RestContext {
    const principal = principalOf(request);
    const scoped: RestContext = { ...ctx, api: this.scoped(ctx.api, principal), guard: null };
    return this.authorizations ? this.authorizations.forRequest(scoped, request) : scoped;
  }
}
