/**
 * AUTHORIZATION CREATE, UPDATE, DELETE (Zeebe 8.8's identity records), on partition 1 only,
 * like USER (docs/adr/013). The fields are checked here again (the REST edge checks them first)
 * against Camunda's enums; an owner may hold a permission on a resource id once.
 */
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { AuthorizationValue } from '../../records.js';
import { authorizationProblem, WILDCARD } from '../../identity/authorization-rules.js';

/** What an AUTHORIZATION command answers: the authorization as stored (DELETED: as it was) and the identity version after it. */
export interface AuthorizationCommandResult {
  readonly authorization: AuthorizationValue;
  readonly identityVersion: number;
}

function onPartitionOne(ctx: ProcessingContext, what: string): boolean {
  if (ctx.partitionId === 1) return true;
  ctx.reject('INVALID_ARGUMENT', `Expected to ${what} an authorization on partition 1, but it was sent to partition ${ctx.partitionId}`);
  return false;
}

function normalized(value: Partial<AuthorizationValue>, key: bigint): AuthorizationValue {
  const resourceId = String(value.resourceId);
  return {
    authorizationKey: key,
    ownerId: String(value.ownerId),
    ownerType: String(value.ownerType),
    resourceMatcher: resourceId === WILDCARD ? 'ANY' : 'ID',
    resourceId,
    resourceType: String(value.resourceType),
    permissionTypes: [...new Set((value.permissionTypes ?? []).map(String))],
  };
}

/** An authorization of the same owner on the same resource id that already grants one of these permissions. */
function overlapping(ctx: ProcessingContext, value: AuthorizationValue): AuthorizationValue | undefined {
  return ctx.state.authorizations
    .all()
    .find(
      (a) =>
        a.authorizationKey !== value.authorizationKey &&
        a.ownerId === value.ownerId &&
        a.ownerType === value.ownerType &&
        a.resourceType === value.resourceType &&
        a.resourceId === value.resourceId &&
        a.permissionTypes.some((p) => value.permissionTypes.includes(p)),
    );
}

function checked(ctx: ProcessingContext, command: EngineCommand, action: 'create' | 'update', key: bigint): AuthorizationValue | null {
  const raw = command.value as Partial<AuthorizationValue>;
  const problem = authorizationProblem(raw, action);
  if (problem) {
    ctx.reject('INVALID_ARGUMENT', problem);
    return null;
  }
  const value = normalized(raw, key);
  if (overlapping(ctx, value)) {
    ctx.reject(
      'ALREADY_EXISTS',
      `Expected to ${action} authorization for owner '${value.ownerId}' for resource identifier '${value.resourceId}', but an authorization for this resource identifier already exists.`,
    );
    return null;
  }
  return value;
}

export function authorizationCreate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'create')) return;
  // Checked against a key no stored authorization has, before one is taken.
  const value = checked(ctx, command, 'create', -1n);
  if (!value) return;
  const authorization = { ...value, authorizationKey: ctx.nextKey() };
  ctx.event('AUTHORIZATION', 'CREATED', authorization.authorizationKey, authorization);
  ctx.respond(authorization.authorizationKey, { authorization, identityVersion: ctx.state.users.version } satisfies AuthorizationCommandResult);
}

export function authorizationUpdate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'update')) return;
  const key = BigInt((command.value as Partial<AuthorizationValue>).authorizationKey ?? -1n);
  if (!ctx.state.authorizations.get(key)) {
    ctx.reject('NOT_FOUND', `Expected to update authorization with key ${key}, but an authorization with this key does not exist`);
    return;
  }
  const authorization = checked(ctx, command, 'update', key);
  if (!authorization) return;
  ctx.event('AUTHORIZATION', 'UPDATED', key, authorization);
  ctx.respond(key, { authorization, identityVersion: ctx.state.users.version } satisfies AuthorizationCommandResult);
}

export function authorizationDelete(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'delete')) return;
  const key = BigInt((command.value as Partial<AuthorizationValue>).authorizationKey ?? -1n);
  const stored = ctx.state.authorizations.get(key);
  if (!stored) {
    ctx.reject('NOT_FOUND', `Expected to delete authorization with key ${key}, but an authorization with this key does not exist`);
    return;
  }
  ctx.event('AUTHORIZATION', 'DELETED', key, stored);
  ctx.respond(key, { authorization: stored, identityVersion: ctx.state.users.version } satisfies AuthorizationCommandResult);
}
