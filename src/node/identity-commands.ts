/**
 * How the identity services (src/security) reach partition 1: ZenNode sends their USER,
 * AUTHORIZATION, TENANT, GROUP, ROLE and MAPPING_RULE commands and answers with the result.
 * Declared here, below the services, so the node does not depend on them.
 */
import type { AuthorizationCommandResult } from '../engine/processors/commands/authorization.js';
import type { TenantCommandResult } from '../engine/processors/commands/tenant.js';
import type { UserCommandResult } from '../engine/processors/commands/user.js';
import type { AuthorizationValue, TenantValue, UserValue } from '../engine/records.js';
import type { UsersView } from '../engine/read-views.js';

export type UserIntent = 'CREATE' | 'UPDATE' | 'DELETE';

/** Sends a USER command to partition 1 and resolves with its answer. */
export interface UserCommands {
  submitUserCommand(intent: UserIntent, value: UserValue): Promise<UserCommandResult>;
}

/** Reads partition 1's identity tables (users and the rest) when they changed after `since`. */
export interface UserSource {
  readUsers(since: number): Promise<UsersView>;
}

export type AuthorizationIntent = 'CREATE' | 'UPDATE' | 'DELETE';

/** Sends an AUTHORIZATION command to partition 1 and resolves with its answer. */
export interface AuthorizationCommands {
  submitAuthorizationCommand(intent: AuthorizationIntent, value: AuthorizationValue): Promise<AuthorizationCommandResult>;
}

export type TenantIntent = 'CREATE' | 'UPDATE' | 'DELETE' | 'ADD_ENTITY' | 'REMOVE_ENTITY';

/** Sends a TENANT command to partition 1 and resolves with its answer. */
export interface TenantCommands {
  submitTenantCommand(intent: TenantIntent, value: TenantValue): Promise<TenantCommandResult>;
}

/** A GROUP, ROLE or MAPPING_RULE command and its answer. */
export type MembershipValueType = 'GROUP' | 'ROLE' | 'MAPPING_RULE';

export interface MembershipCommands {
  submitMembershipCommand(valueType: MembershipValueType, intent: string, value: object): Promise<unknown>;
}
