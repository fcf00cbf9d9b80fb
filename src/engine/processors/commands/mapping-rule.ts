/**
 * MAPPING_RULE CREATE, UPDATE, DELETE (Zeebe 8.8), on partition 1 only (docs/adr/014). A claim
 * (name and value) maps to one rule: a second rule on the same claim is ALREADY_EXISTS, as in
 * Zeebe. Deleting a rule takes it out of every group and role and deletes the authorizations
 * it owns, each as its own event.
 */
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { MappingRuleValue } from '../../records.js';
import { idProblem, textProblem } from '../../identity/membership-fields.js';
import { deleteOwnedAuthorizations, removeFromAllSets } from './member-set.js';

/** What a MAPPING_RULE command answers: the rule as stored (DELETE: as it was) and the identity version after it. */
export interface MappingRuleCommandResult {
  readonly mappingRule: MappingRuleValue;
  readonly identityVersion: number;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function onPartitionOne(ctx: ProcessingContext, what: string): boolean {
  if (ctx.partitionId === 1) return true;
  ctx.reject('INVALID_ARGUMENT', `Expected to ${what} a mapping rule on partition 1, but it was sent to partition ${ctx.partitionId}`);
  return false;
}

function answer(ctx: ProcessingContext, mappingRule: MappingRuleValue): void {
  ctx.respond(mappingRule.mappingRuleKey, { mappingRule, identityVersion: ctx.state.users.version } satisfies MappingRuleCommandResult);
}

/** The checked fields, or null after a rejection. */
function checked(ctx: ProcessingContext, command: EngineCommand, action: 'create' | 'update'): MappingRuleValue | null {
  const v = (command.value ?? {}) as Partial<Record<keyof MappingRuleValue, unknown>>;
  const problem =
    idProblem('mappingRuleId', v.mappingRuleId) ??
    textProblem('claimName', v.claimName, true) ??
    textProblem('claimValue', v.claimValue, true) ??
    textProblem('name', v.name, true);
  if (problem) {
    ctx.reject('INVALID_ARGUMENT', problem);
    return null;
  }
  const value: MappingRuleValue = {
    mappingRuleKey: -1n,
    mappingRuleId: text(v.mappingRuleId),
    claimName: text(v.claimName),
    claimValue: text(v.claimValue),
    name: text(v.name),
  };
  const same = ctx.state.mappingRules
    .all()
    .find((r) => r.mappingRuleId !== value.mappingRuleId && r.claimName === value.claimName && r.claimValue === value.claimValue);
  if (same) {
    ctx.reject(
      'ALREADY_EXISTS',
      `Expected to ${action} mapping rule with claimName '${value.claimName}' and claimValue '${value.claimValue}', but a mapping rule with this claim already exists.`,
    );
    return null;
  }
  return value;
}

export function mappingRuleCreate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'create')) return;
  const value = checked(ctx, command, 'create');
  if (!value) return;
  if (ctx.state.mappingRules.get(value.mappingRuleId)) {
    return ctx.reject('ALREADY_EXISTS', `Expected to create mapping rule with ID '${value.mappingRuleId}', but a mapping rule with this ID already exists.`);
  }
  const mappingRule = { ...value, mappingRuleKey: ctx.nextKey() };
  ctx.event('MAPPING_RULE', 'CREATED', mappingRule.mappingRuleKey, mappingRule);
  answer(ctx, mappingRule);
}

export function mappingRuleUpdate(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'update')) return;
  const id = text((command.value as Partial<MappingRuleValue> | undefined)?.mappingRuleId);
  const stored = ctx.state.mappingRules.get(id);
  if (!stored) {
    return ctx.reject('NOT_FOUND', `Expected to update mapping rule with ID '${id}', but a mapping rule with this ID does not exist.`);
  }
  const value = checked(ctx, command, 'update');
  if (!value) return;
  const mappingRule = { ...value, mappingRuleKey: stored.mappingRuleKey };
  ctx.event('MAPPING_RULE', 'UPDATED', stored.mappingRuleKey, mappingRule);
  answer(ctx, mappingRule);
}

export function mappingRuleDelete(ctx: ProcessingContext, command: EngineCommand): void {
  if (!onPartitionOne(ctx, 'delete')) return;
  const id = text((command.value as Partial<MappingRuleValue> | undefined)?.mappingRuleId);
  const stored = ctx.state.mappingRules.get(id);
  if (!stored) {
    return ctx.reject('NOT_FOUND', `Expected to delete mapping rule with ID '${id}', but a mapping rule with this ID does not exist.`);
  }
  removeFromAllSets(ctx, 'MAPPING_RULE', id);
  deleteOwnedAuthorizations(ctx, 'MAPPING_RULE', id);
  ctx.event('MAPPING_RULE', 'DELETED', stored.mappingRuleKey, stored);
  answer(ctx, stored);
}
