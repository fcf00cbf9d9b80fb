/**
 * The authorization resources (`/v2/authorizations`): checks what a client sent against
 * Camunda's enums, sends AUTHORIZATION commands to partition 1, and shows a change in this
 * node's directory at once (other nodes see it within their next poll). Reads come from the copy.
 */
import { ZenError } from '../../errors.js';
import type { AuthorizationCommandResult } from '../../engine/processors/commands/authorization.js';
import type { AuthorizationValue } from '../../engine/records.js';
import type { SearchPage } from '../../history/search/merge.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { AuthorizationCommands, AuthorizationIntent } from '../../node/identity-commands.js';

export type { AuthorizationCommands, AuthorizationIntent };
import { authorizationItem, type AuthorizationItem, type AuthorizationSearchRequest, searchAuthorizations } from './authorization-search.js';
import { authorizationProblem, WILDCARD } from '../../engine/identity/authorization-rules.js';

export interface AuthorizationRequest {
  readonly ownerId?: unknown;
  readonly ownerType?: unknown;
  readonly resourceId?: unknown;
  readonly resourceType?: unknown;
  readonly permissionTypes?: unknown;
}

/** A path's key: digits only, as Camunda's LongKey. */
export function authorizationKeyOf(param: string): bigint {
  if (!/^\d{1,19}$/.test(param)) throw new ZenError('INVALID_ARGUMENT', `The authorization key must be a number (digits only), but was '${param.slice(0, 40)}'`);
  return BigInt(param);
}

function value(request: AuthorizationRequest, key: bigint, action: 'create' | 'update'): AuthorizationValue {
  const problem = authorizationProblem(request, action);
  if (problem) throw new ZenError('INVALID_ARGUMENT', problem);
  const resourceId = String(request.resourceId);
  return {
    authorizationKey: key,
    ownerId: String(request.ownerId),
    ownerType: String(request.ownerType),
    resourceMatcher: resourceId === WILDCARD ? 'ANY' : 'ID',
    resourceId,
    resourceType: String(request.resourceType),
    permissionTypes: [...new Set(request.permissionTypes as string[])],
  };
}

export class AuthorizationService {
  constructor(
    private readonly commands: AuthorizationCommands,
    readonly directory: UserDirectory,
  ) {}

  async create(request: AuthorizationRequest): Promise<{ authorizationKey: string }> {
    const created = await this.run('CREATE', value(request, -1n, 'create'));
    return { authorizationKey: String(created.authorizationKey) };
  }

  async update(key: bigint, request: AuthorizationRequest): Promise<void> {
    await this.run('UPDATE', value(request, key, 'update'));
  }

  async delete(key: bigint): Promise<void> {
    await this.run('DELETE', { authorizationKey: key, ownerId: '', ownerType: '', resourceMatcher: 'ID', resourceId: '', resourceType: '', permissionTypes: [] });
  }

  get(key: bigint): AuthorizationItem {
    const row = this.directory.getAuthorization(key);
    if (!row) {
      this.requireLoaded();
      throw new ZenError('NOT_FOUND', `Expected to find authorization with key '${key}', but none was found`);
    }
    return authorizationItem(row);
  }

  search(request: AuthorizationSearchRequest): SearchPage {
    this.requireLoaded();
    return searchAuthorizations(this.directory.allAuthorizations(), request);
  }

  private requireLoaded(): void {
    if (!this.directory.loaded) throw new ZenError('UNAVAILABLE', 'This node has not loaded the authorizations yet (partition 1 could not be read); retry shortly');
  }

  private async run(intent: AuthorizationIntent, authorization: AuthorizationValue): Promise<AuthorizationValue> {
    const result = await this.commands.submitAuthorizationCommand(intent, authorization);
    this.directory.applyAuthorizationChange(intent, result);
    return result.authorization;
  }
}
