/**
 * USER CREATE, UPDATE, DELETE (Zeebe 8.8's identity records), processed on partition 1 only:
 * nodes read the user table from there rather than from a copy on every partition (docs/adr/012).
 * Passwords arrive hashed by the node that took the request (no randomness in the engine); a
 * value that is not a hash is refused, so a password can never be stored as it was typed.
 */
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { UserValue } from '../../records.js';
import { deleteOwnedAuthorizations, removeFromAllSets } from './member-set.js';

/** What a USER command answers: the user as stored now (DELETED: as it was) and the table's version after it. */
export interface UserCommandResult {
  readonly user: UserValue;
  readonly identityVersion: number;
}

const HASHED = /^\$scrypt\$[^$]+\$[^$]+\$[^$]+$/;

function onPartitionOne(ctx: ProcessingContext, what: string): boolean {
  if (ctx.partitionId === 1) return true;
  ctx.reject('INVALID_ARGUMENT', `Expected to ${what} a user on partition 1, but it was sent to partition ${ctx.partitionId}`);
  return false;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function userCreate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'create')) return;
  const value = command.value as Partial<UserValue>;
  const username = text(value.username);
  if (username === '') {
    ctx.reject('INVALID_ARGUMENT', 'Expected to create a user with a username, but none was given');
    return;
  }
  if (!HASHED.test(text(value.password))) {
    ctx.reject('INVALID_ARGUMENT', `Expected the password of user '${username}' to arrive hashed, but it did not`);
    return;
  }
  if (ctx.state.users.get(username)) {
    ctx.reject('ALREADY_EXISTS', `Expected to create user with username '${username}', but a user with this username already exists`);
    return;
  }
  const key = ctx.nextKey();
  const user: UserValue = { userKey: key, username, name: text(value.name), email: text(value.email), password: text(value.password) };
  ctx.event('USER', 'CREATED', key, user);
  ctx.respond(key, { user, identityVersion: ctx.state.users.version } satisfies UserCommandResult);
}

/** As Zeebe overlays: an empty name, email or password leaves the stored one. */
export function userUpdate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'update')) return;
  const value = command.value as Partial<UserValue>;
  const username = text(value.username);
  const stored = ctx.state.users.get(username);
  if (!stored) {
    ctx.reject('NOT_FOUND', `Expected to update user with username '${username}', but a user with this username does not exist`);
    return;
  }
  const password = text(value.password);
  if (password !== '' && !HASHED.test(password)) {
    ctx.reject('INVALID_ARGUMENT', `Expected the password of user '${username}' to arrive hashed, but it did not`);
    return;
  }
  const user: UserValue = {
    ...stored,
    name: text(value.name) || stored.name,
    email: text(value.email) || stored.email,
    password: password || stored.password,
  };
  ctx.event('USER', 'UPDATED', stored.userKey, user);
  ctx.respond(stored.userKey, { user, identityVersion: ctx.state.users.version } satisfies UserCommandResult);
}

export function userDelete(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'delete')) return;
  const username = text((command.value as Partial<UserValue>).username);
  const stored = ctx.state.users.get(username);
  if (!stored) {
    ctx.reject('NOT_FOUND', `Expected to delete user with username '${username}', but a user with this username does not exist`);
    return;
  }
  // As Zeebe: a deleted user leaves its groups and roles, and its authorizations go (a user made
  // again under the name starts with nothing).
  removeFromAllSets(ctx, 'USER', username);
  deleteOwnedAuthorizations(ctx, 'USER', username);
  // The hash has no business in one more record.
  const user: UserValue = { ...stored, password: '' };
  ctx.event('USER', 'DELETED', stored.userKey, user);
  ctx.respond(stored.userKey, { user, identityVersion: ctx.state.users.version } satisfies UserCommandResult);
}
