/**
 * Variable scopes: every element instance is a scope whose parent is its flow scope; the
 * process instance is the root. Reads see the innermost definition of a name; writes
 * either stay local or propagate to the nearest scope that already defines the name
 * (the root when none does), as Zeebe does.
 */
import { parseJson, stringifyJson } from '../json.js';
import type { ProcessingContext } from '../processing/context.js';
import type { Variables, VariableValue } from '../records.js';

/** What a VARIABLE record needs to know about the process its scope belongs to. */
export interface ScopeOwner {
  readonly processInstanceKey: bigint;
  readonly processDefinitionKey: bigint;
  readonly bpmnProcessId: string;
  readonly tenantId: string;
}

function ownerOf(ctx: ProcessingContext, scopeKey: bigint): ScopeOwner {
  const instance = ctx.state.elementInstances.get(scopeKey);
  if (!instance) throw new Error(`Variable scope ${scopeKey} does not exist`);
  return instance.value;
}

/** Scope keys from `scopeKey` up to the root, innermost first. */
export function scopeChain(ctx: ProcessingContext, scopeKey: bigint): bigint[] {
  const chain: bigint[] = [];
  let key = scopeKey;
  while (key > 0n) {
    chain.push(key);
    const instance = ctx.state.elementInstances.get(key);
    if (!instance) break;
    key = instance.value.flowScopeKey;
  }
  return chain;
}

/** All variables visible from a scope, parsed; inner scopes shadow outer ones. */
/** A variable of exactly this scope, parsed; undefined when the scope does not hold it. */
export function localVariable(ctx: ProcessingContext, scopeKey: bigint, name: string): unknown {
  const row = ctx.state.variables.get(scopeKey, name);
  return row ? parseJson(row.value) : undefined;
}

export function visibleVariables(ctx: ProcessingContext, scopeKey: bigint, names?: readonly string[]): Variables {
  const result: Variables = {};
  const wanted = names && names.length > 0 ? new Set(names) : null;
  for (const key of scopeChain(ctx, scopeKey)) {
    for (const [name, row] of ctx.state.variables.local(key)) {
      if (name in result) continue;
      if (wanted && !wanted.has(name)) continue;
      result[name] = parseJson(row.value);
    }
  }
  return result;
}

/** Writes one variable into exactly this scope: CREATED, UPDATED, or nothing when unchanged. */
export function setLocalVariable(
  ctx: ProcessingContext,
  scopeKey: bigint,
  name: string,
  value: unknown,
  owner: ScopeOwner = ownerOf(ctx, scopeKey),
): void {
  const json = toJson(value);
  const existing = ctx.state.variables.get(scopeKey, name);
  if (existing && existing.value === json) return;
  const record: VariableValue = {
    name,
    value: json,
    scopeKey,
    processInstanceKey: owner.processInstanceKey,
    processDefinitionKey: owner.processDefinitionKey,
    bpmnProcessId: owner.bpmnProcessId,
    tenantId: owner.tenantId,
  };
  if (existing) ctx.event('VARIABLE', 'UPDATED', existing.key, record);
  else ctx.event('VARIABLE', 'CREATED', ctx.nextKey(), record);
  // Only instances that wait for a condition pay for tracking (behaviors/conditions.ts looks at them).
  if (ctx.state.conditionals.anyIn(owner.processInstanceKey)) {
    ctx.conditions.changes.push({ processInstanceKey: owner.processInstanceKey, scopeKey, name, kind: existing ? 'update' : 'create' });
  }
}

export function setLocalVariables(ctx: ProcessingContext, scopeKey: bigint, variables: Variables, owner?: ScopeOwner): void {
  const resolved = owner ?? ownerOf(ctx, scopeKey);
  for (const name of Object.keys(variables)) setLocalVariable(ctx, scopeKey, name, variables[name], resolved);
}

/** Sets each variable on the nearest scope from `scopeKey` upwards that defines it, else on the root. */
export function propagateVariables(ctx: ProcessingContext, scopeKey: bigint, variables: Variables): void {
  const names = Object.keys(variables);
  if (names.length === 0) return;
  const chain = scopeChain(ctx, scopeKey);
  const root = chain[chain.length - 1]!;
  const owner = ownerOf(ctx, root);
  for (const name of names) {
    const target = chain.find((key) => ctx.state.variables.get(key, name) !== undefined) ?? root;
    setLocalVariable(ctx, target, name, variables[name], owner);
  }
}

function toJson(value: unknown): string {
  // undefined is not JSON; FEEL and clients mean "no value", which Zeebe stores as null.
  return value === undefined ? 'null' : stringifyJson(value);
}
