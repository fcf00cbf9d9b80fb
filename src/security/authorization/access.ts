/**
 * Enforcement's view of the node: the caller as a subject (its roles: the built-in `admin` for
 * the administrator of `--admin-user`; role membership records will feed `rolesOf` later), the
 * node's copy of the authorizations, and the refusal every edge gives. Pure decisions are the
 * evaluator's; this adds the directory and the error.
 */
import { ZenError } from '../../errors.js';
import type { Principal } from '../principal.js';
import type { UserDirectory } from '../users/user-directory.js';
import { WILDCARD } from './enums.js';
import { ADMIN_ROLE, evaluate, forbiddenMessage, permittedIds, type Subject } from './evaluator.js';

export interface AccessOptions {
  readonly directory: Pick<UserDirectory, 'loaded' | 'allAuthorizations'>;
  /** The administrator of `--admin-user` (a user principal of that id): holds the admin role. */
  readonly adminUser: string;
}

export class Access {
  constructor(private readonly options: AccessOptions) {}

  rolesOf(principal: Principal): string[] {
    return principal.kind === 'user' && this.options.adminUser !== '' && principal.id === this.options.adminUser ? [ADMIN_ROLE] : [];
  }

  subjectOf(principal: Principal): Subject {
    return { kind: principal.kind, id: principal.id, groups: principal.groups, roles: this.rolesOf(principal) };
  }

  /** Throws FORBIDDEN naming what is missing, unless one of `resourceIds` (or `*`) is granted. */
  check(principal: Principal, resourceType: string, permissionType: string, resourceIds: readonly string[] = []): void {
    const decision = evaluate(this.subjectOf(principal), this.grants(principal), resourceType, permissionType, resourceIds);
    if (!decision.allowed) throw new ZenError('FORBIDDEN', forbiddenMessage(decision.missing));
  }

  allowed(principal: Principal, resourceType: string, permissionType: string, resourceId: string): boolean {
    return evaluate(this.subjectOf(principal), this.grants(principal), resourceType, permissionType, [resourceId]).allowed;
  }

  /** The ids a search may show (`*`: all of them). */
  permitted(principal: Principal, resourceType: string, permissionType: string): typeof WILDCARD | ReadonlySet<string> {
    return permittedIds(this.subjectOf(principal), this.grants(principal), resourceType, permissionType);
  }

  private grants(principal: Principal) {
    // The administrator needs no table; anyone else must not be let through on an empty one.
    if (this.rolesOf(principal).includes(ADMIN_ROLE)) return [];
    if (!this.options.directory.loaded) throw new ZenError('UNAVAILABLE', 'This node has not loaded the authorizations yet (partition 1 could not be read); retry shortly');
    return this.options.directory.allAuthorizations();
  }
}
