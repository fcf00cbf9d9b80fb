/**
 * GROUP and ROLE commands (Zeebe 8.8's identity records), on partition 1 only like USER
 * (docs/adr/014): CREATE, UPDATE, DELETE, ADD_ENTITY, REMOVE_ENTITY. Both kinds behave alike;
 * a role may also hold groups. Users and clients need not exist as records (an OIDC user has
 * none); a group or mapping rule member must. Deleting a set takes its memberships (a group in
 * roles) and the authorizations it owns with it, as Zeebe does, each as its own event.
 */
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { GroupValue, RoleValue } from '../../records.js';
import type { EngineState } from '../../state/engine-state.js';
import { hasMember, type MemberSetRow, type MemberSetState } from '../../state/member-sets.js';
import { idProblem, memberTypeProblem, type MemberSetKind, textProblem } from '../../identity/membership-fields.js';

/** What a GROUP or ROLE command answers: the set as stored now (DELETE: as it was) and the identity version after it. */
export interface MemberSetCommandResult {
  readonly row: MemberSetRow;
  readonly identityVersion: number;
}

type SetValue = GroupValue | RoleValue;

interface Spec {
  readonly kind: MemberSetKind;
  readonly noun: 'group' | 'role';
  readonly state: (state: EngineState) => MemberSetState;
}

const SPECS: Readonly<Record<MemberSetKind, Spec>> = {
  GROUP: { kind: 'GROUP', noun: 'group', state: (s) => s.groups },
  ROLE: { kind: 'ROLE', noun: 'role', state: (s) => s.roles },
};

interface Fields {
  readonly key: bigint;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly entityType: string;
  readonly entityId: string;
}

function fieldsOf(kind: MemberSetKind, value: unknown): Partial<Record<keyof Fields, unknown>> {
  const v = (value ?? {}) as Record<string, unknown>;
  return kind === 'GROUP'
    ? { key: v.groupKey, id: v.groupId, name: v.name, description: v.description, entityType: v.entityType, entityId: v.entityId }
    : { key: v.roleKey, id: v.roleId, name: v.name, description: v.description, entityType: v.entityType, entityId: v.entityId };
}

/** The record value of a set (and a member, for ENTITY_ADDED / ENTITY_REMOVED) in Zeebe's field names. */
export function setValue(kind: MemberSetKind, row: MemberSetRow, entityType = '', entityId = ''): SetValue {
  const common = { name: row.name, description: row.description, entityType, entityId };
  return kind === 'GROUP' ? { groupKey: row.key, groupId: row.id, ...common } : { roleKey: row.key, roleId: row.id, ...common };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function onPartitionOne(ctx: ProcessingContext, spec: Spec, what: string): boolean {
  if (ctx.partitionId === 1) return true;
  ctx.reject('INVALID_ARGUMENT', `Expected to ${what} a ${spec.noun} on partition 1, but it was sent to partition ${ctx.partitionId}`);
  return false;
}

function answer(ctx: ProcessingContext, row: MemberSetRow): void {
  ctx.respond(row.key, { row, identityVersion: ctx.state.users.version } satisfies MemberSetCommandResult);
}

function create(spec: Spec, ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, spec, 'create')) return;
  const f = fieldsOf(spec.kind, command.value);
  const problem = idProblem(`${spec.noun}Id`, f.id) ?? textProblem('name', f.name, true) ?? textProblem('description', f.description, false);
  if (problem) return ctx.reject('INVALID_ARGUMENT', problem);
  const id = text(f.id);
  if (spec.state(ctx.state).get(id)) {
    return ctx.reject('ALREADY_EXISTS', `Expected to create ${spec.noun} with ID '${id}', but a ${spec.noun} with this ID already exists.`);
  }
  const row: MemberSetRow = { key: ctx.nextKey(), id, name: text(f.name), description: text(f.description), members: [] };
  ctx.event(spec.kind, 'CREATED', row.key, setValue(spec.kind, row));
  answer(ctx, spec.state(ctx.state).get(id)!);
}

function stored(spec: Spec, ctx: ProcessingContext, command: EngineCommand, action: string): MemberSetRow | null {
  const id = text(fieldsOf(spec.kind, command.value).id);
  const row = spec.state(ctx.state).get(id);
  if (!row) ctx.reject('NOT_FOUND', `Expected to ${action} ${spec.noun} with ID '${id}', but a ${spec.noun} with this ID does not exist.`);
  return row ?? null;
}

function update(spec: Spec, ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, spec, 'update')) return;
  const f = fieldsOf(spec.kind, command.value);
  const problem = textProblem('name', f.name, true) ?? textProblem('description', f.description, false);
  if (problem) return ctx.reject('INVALID_ARGUMENT', problem);
  const row = stored(spec, ctx, command, 'update');
  if (!row) return;
  const next: MemberSetRow = { ...row, name: text(f.name), description: text(f.description) };
  ctx.event(spec.kind, 'UPDATED', row.key, setValue(spec.kind, next));
  answer(ctx, spec.state(ctx.state).get(row.id)!);
}

/** Authorizations owned by `ownerType` `ownerId` go with their owner. */
export function deleteOwnedAuthorizations(ctx: ProcessingContext, ownerType: string, ownerId: string): void {
  for (const authorization of ctx.state.authorizations.all()) {
    if (authorization.ownerType === ownerType && authorization.ownerId === ownerId) {
      ctx.event('AUTHORIZATION', 'DELETED', authorization.authorizationKey, authorization);
    }
  }
}

/** Takes `entityType` `entityId` out of every group and role that holds it. */
export function removeFromAllSets(ctx: ProcessingContext, entityType: string, entityId: string): void {
  for (const spec of Object.values(SPECS)) {
    for (const row of spec.state(ctx.state).all()) {
      if (hasMember(row, entityType, entityId)) ctx.event(spec.kind, 'ENTITY_REMOVED', row.key, setValue(spec.kind, row, entityType, entityId));
    }
  }
}

function remove(spec: Spec, ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, spec, 'delete')) return;
  const row = stored(spec, ctx, command, 'delete');
  if (!row) return;
  if (spec.kind === 'GROUP') removeFromAllSets(ctx, 'GROUP', row.id);
  deleteOwnedAuthorizations(ctx, spec.kind, row.id);
  ctx.event(spec.kind, 'DELETED', row.key, setValue(spec.kind, row));
  answer(ctx, row);
}

function memberExists(ctx: ProcessingContext, entityType: string, entityId: string): boolean {
  if (entityType === 'GROUP') return ctx.state.groups.get(entityId) !== undefined;
  if (entityType === 'MAPPING_RULE') return ctx.state.mappingRules.get(entityId) !== undefined;
  return true;
}

function addEntity(spec: Spec, ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, spec, 'add an entity to')) return;
  const f = fieldsOf(spec.kind, command.value);
  const problem = memberTypeProblem(spec.kind, f.entityType) ?? idProblem('entityId', f.entityId);
  if (problem) return ctx.reject('INVALID_ARGUMENT', problem);
  const row = stored(spec, ctx, command, 'add an entity to');
  if (!row) return;
  const entityType = text(f.entityType);
  const entityId = text(f.entityId);
  if (!memberExists(ctx, entityType, entityId)) {
    return ctx.reject(
      'NOT_FOUND',
      `Expected to add an entity with ID '${entityId}' and type '${entityType}' to ${spec.noun} with ID '${row.id}', but the entity doesn't exist.`,
    );
  }
  if (hasMember(row, entityType, entityId)) {
    return ctx.reject(
      'ALREADY_EXISTS',
      `Expected to add entity with ID '${entityId}' to ${spec.noun} with ID '${row.id}', but the entity is already assigned to this ${spec.noun}.`,
    );
  }
  ctx.event(spec.kind, 'ENTITY_ADDED', row.key, setValue(spec.kind, row, entityType, entityId));
  answer(ctx, spec.state(ctx.state).get(row.id)!);
}

function removeEntity(spec: Spec, ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, spec, 'remove an entity from')) return;
  const f = fieldsOf(spec.kind, command.value);
  const problem = memberTypeProblem(spec.kind, f.entityType) ?? idProblem('entityId', f.entityId);
  if (problem) return ctx.reject('INVALID_ARGUMENT', problem);
  const row = stored(spec, ctx, command, 'remove an entity from');
  if (!row) return;
  const entityType = text(f.entityType);
  const entityId = text(f.entityId);
  if (!hasMember(row, entityType, entityId)) {
    return ctx.reject(
      'NOT_FOUND',
      `Expected to remove entity with ID '${entityId}' from ${spec.noun} with ID '${row.id}', but the entity is not assigned to this ${spec.noun}.`,
    );
  }
  ctx.event(spec.kind, 'ENTITY_REMOVED', row.key, setValue(spec.kind, row, entityType, entityId));
  answer(ctx, spec.state(ctx.state).get(row.id)!);
}

type Processor = (ctx: ProcessingContext, command: EngineCommand) => void;

function processors(spec: Spec): { CREATE: Processor; UPDATE: Processor; DELETE: Processor; ADD_ENTITY: Processor; REMOVE_ENTITY: Processor } {
  return {
    CREATE: (ctx, command) => create(spec, ctx, command),
    UPDATE: (ctx, command) => update(spec, ctx, command),
    DELETE: (ctx, command) => remove(spec, ctx, command),
    ADD_ENTITY: (ctx, command) => addEntity(spec, ctx, command),
    REMOVE_ENTITY: (ctx, command) => removeEntity(spec, ctx, command),
  };
}

export const groupProcessors = processors(SPECS.GROUP);
export const roleProcessors = processors(SPECS.ROLE);
