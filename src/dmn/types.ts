/**
 * DMN typeRefs: FEEL built-in types and item definitions (collections, components, allowed
 * values), and the coercion DMN applies where a value meets a declared type: a conforming value
 * passes, a singleton list and its element convert into each other, anything else is null.
 */
import { compileUnaryTests, type CompiledTests } from '../feel/lang/index.js';
import type { Run } from '../feel/lang/compiler/run.js';
import { FeelContext } from '../feel/lang/values/context.js';
import { FeelFunction } from '../feel/lang/values/function.js';
import { isInstance, namedType, type FeelType } from '../feel/lang/values/types.js';
import type { Value } from '../feel/lang/values/value.js';
import type { ItemDefinition } from './model.js';

export interface DmnType {
  readonly name: string;
  /** A FEEL built-in type this type is (or restricts). */
  readonly feel?: FeelType;
  /** The item definition this one restricts (typeRef to another item definition). */
  readonly base?: DmnType;
  readonly collection: boolean;
  readonly components?: ReadonlyArray<readonly [string, DmnType | undefined]>;
  readonly allowed?: CompiledTests;
  readonly constraint?: CompiledTests;
  readonly isFunction?: boolean;
}

function tests(text: string | undefined, errors: string[], what: string): CompiledTests | undefined {
  if (text === undefined) return undefined;
  const compiled = compileUnaryTests(text, { profile: 'dmn' });
  if (!compiled.ok) {
    errors.push(`${what}: ${compiled.message}`);
    return undefined;
  }
  return compiled;
}

/** Resolves typeRefs against a model's item definitions; unknown names resolve to undefined (Any). */
export class TypeRegistry {
  private readonly byName = new Map<string, ItemDefinition>();
  private readonly resolved = new Map<string, DmnType | undefined>();
  readonly errors: string[] = [];

  constructor(items: readonly ItemDefinition[]) {
    for (const item of items) this.byName.set(item.name, item);
  }

  resolve(typeRef: string | undefined): DmnType | undefined {
    if (typeRef === undefined || typeRef.trim() === '') return undefined;
    const key = typeRef.trim();
    if (this.resolved.has(key)) return this.resolved.get(key);
    this.resolved.set(key, undefined); // a self-referencing type resolves to Any instead of looping
    let item = this.byName.get(key);
    if (item === undefined && key.includes('.')) item = this.byName.get(key.slice(key.lastIndexOf('.') + 1));
    if (item === undefined && key.includes(':')) item = this.byName.get(key.slice(key.indexOf(':') + 1));
    const type = item !== undefined ? this.item(item) : builtin(key);
    this.resolved.set(key, type);
    return type;
  }

  private item(item: ItemDefinition): DmnType {
    const allowed = tests(item.allowedValues, this.errors, `allowed values of '${item.name}'`);
    const constraint = tests(item.typeConstraint, this.errors, `type constraint of '${item.name}'`);
    const base = item.typeRef !== undefined ? this.resolve(item.typeRef) : undefined;
    return {
      name: item.name,
      ...(base ? { base } : {}),
      collection: item.isCollection,
      ...(item.components.length > 0 ? { components: item.components.map((c) => [c.name, this.item(c)] as const) } : {}),
      ...(allowed ? { allowed } : {}),
      ...(constraint ? { constraint } : {}),
      ...(item.functionItem ? { isFunction: true } : {}),
    };
  }
}

function builtin(name: string): DmnType | undefined {
  const feel = namedType(name);
  if (feel === undefined || feel.kind === 'any') return undefined;
  return { name, feel, collection: false };
}

function satisfies(tests: CompiledTests | undefined, value: Value, run: Run): boolean {
  if (tests === undefined || !tests.ok) return true;
  return tests.test(value, {}, { nowMs: run.nowMs }).value === true;
}

/** Whether `value` is of `type` without conversion; null is of every type. */
export function conformsTo(value: Value, type: DmnType | undefined, run: Run): boolean {
  if (type === undefined || value === null) return true;
  if (type.collection) {
    if (!Array.isArray(value)) return false;
    // Allowed values of a collection type constrain each item (DMN 1.5 moved this to typeConstraint).
    return (value as Value[]).every((v) => conformsTo(v, elementOf(type), run));
  }
  if (type.base !== undefined && !conformsTo(value, type.base, run)) return false;
  if (type.feel !== undefined && !isInstance(value, type.feel)) return false;
  if (type.components !== undefined) {
    if (!(value instanceof FeelContext)) return false;
    for (const [name, componentType] of type.components) {
      const v = value.get(name);
      if (v === undefined || !conformsTo(v, componentType, run)) return false;
    }
  }
  if (type.isFunction && simpleFunction(value) === false) return false;
  return satisfies(type.allowed, value, run) && satisfies(type.constraint, value, run);
}

function simpleFunction(value: Value): boolean {
  return value instanceof FeelFunction;
}

function elementOf(type: DmnType): DmnType {
  return { ...type, collection: false };
}

/** DMN 1.5 §10.3.2.9.4 type conversions; a mismatch is null plus a warning naming `what`. */
export function coerce(value: Value, type: DmnType | undefined, run: Run, what: string): Value {
  if (type === undefined || value === null) return value;
  if (conformsTo(value, type, run)) return value;
  if (type.collection && !Array.isArray(value) && conformsTo([value], type, run)) return [value];
  if (!type.collection && Array.isArray(value) && value.length === 1 && conformsTo(value[0]!, type, run)) return value[0]!;
  return run.warn('TYPE_MISMATCH', `${what}: the value does not conform to type '${type.name}'`);
}
