/**
 * Enforcement's view of the node: the caller as a subject (its groups, roles and mapping rules
 * resolved over this node's identity copy, membership/resolution.ts; the administrator of
 * `--admin-user` always holds `admin`), the node's copy of the authorizations, and the refusal
 * every edge gives. Pure decisions are the evaluator's; this adds the directory and the error.
 */
import { ZenError } from '../../errors.js';
import type { Principal } from '../../node/principal.js';
import { type IdentityCopy, type Membership, membershipOf } from '../membership/resolution.js';
import { WILDCARD } from '../../engine/identity/authorization-rules.js';
import { ADMIN_ROLE, evaluate, forbiddenMessage, type Grant, permittedIds, type Subject } from './evaluator.js';

export interface AccessOptions {
  readonly directory: IdentityCopy & { readonly loaded: boolean; allAuthorizations(): readonly Grant[] };
  /** The administrator of `--admin-user` (a user principal of that id): holds the admin role. */
  readonly adminUser: string;
}

export class Access {
  constructor(private readonly options: AccessOptions) {}

  /** Groups, roles (with `admin` for the configured administrator) and mapping rules of the caller. */
  membershipOf(principal: Principal): Membership {
    const resolved = membershipOf(principal, this.options.directory);
    const configuredAdmin = principal.kind === 'user' && this.options.adminUser !== '' && principal.id === this.options.adminUser;
    if (!configuredAdmin || resolved.roles.includes(ADMIN_ROLE)) return resolved;
    return { ...resolved, roles: [...resolved.roles, ADMIN_ROLE] };
  }

  rolesOf(principal: Principal): string[] {
    return [...this.membershipOf(principal).roles];
  }

  subjectOf(principal: Principal): Subject {
    const { groups, roles, mappingRules } = this.membershipOf(principal);
    return { kind: principal.kind, id: principal.id, groups, roles, mappingRules };
  }

  /** Throws FORBIDDEN naming what is missing, unless one of `resourceIds` (or `*`) is granted. */
  check(principal: Principal, resourceType: string, permissionType: string, resourceIds: readonly string[] = []): void {
    const subject = this.subjectOf(principal);
    const decision = evaluate(subject, this.grants(subject), resourceType, permissionType, resourceIds);
    if (!decision.allowed) throw new ZenError('FORBIDDEN', forbiddenMessage(decision.missing));
  }

  allowed(principal: Principal, resourceType: string, permissionType: string, resourceId: string): boolean {
    const subject = this.subjectOf(principal);
    return evaluate(subject, this.grants(subject), resourceType, permissionType, [resourceId]).allowed;
  }

  /** The ids a search may show (`*`: all of them). */
  permitted(principal: Principal, resourceType: string, permissionType: string): typeof WILDCARD | ReadonlySet<string> {
    const subject = this.subjectOf(principal);
    return permittedIds(subject, this.grants(subject), resourceType, permissionType);
  }

  private grants(subject: Subject) {
    // The administrator needs no table; anyone else must not be let through on an empty one.
    if (subject.roles.includes(ADMIN_ROLE)) return [];
    if (!this.options.directory.loaded) throw new ZenError('UNAVAILABLE', 'This node has not loaded the authorizations yet (partition 1 could not be read); retry shortly');
    return this.options.directory.allAuthorizations();
  }
}
