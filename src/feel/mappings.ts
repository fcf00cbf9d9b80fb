/**
 * `zeebe:input` / `zeebe:output` mappings, with Zeebe's semantics:
 * - mappings run one by one in modeling order, and each sees the results of the ones before it
 *   (in older Zeebe versions through one FEEL context `{a: …, b: a + 1}`, today explicitly);
 * - a dotted target (`order.total`) builds nested objects; for inputs the object is built fresh
 *   from the mappings alone, for outputs it is merged into the variable's existing value, and an
 *   existing non-object value turns that level into null (FEEL's `context merge` on a non-context);
 * - while an input object is only partly built, a later mapping reading it sees the missing
 *   properties from the existing variable, so `a.b` then `=a.c` still finds `c`;
 * - a static input source (no `=`) is a string literal; a FEEL result that is null, or a function
 *   or range, maps to null rather than failing (FEEL-Scala reports missing variables as warnings).
 */
import type { VariableMapping } from '../model/types.js';
import { expressionText } from './expression.js';
import { evaluate } from './evaluate.js';
import { isPlainObject } from './feel-values.js';

export interface MappingOptions {
  /** `input` (default) builds nested targets fresh; `output` merges them into existing values. */
  readonly kind?: 'input' | 'output';
  /** Output mappings: the variables nested targets merge into. Defaults to `source`. */
  readonly targetScope?: Readonly<Record<string, unknown>>;
}

export type MappingResult =
  | { readonly ok: true; readonly result: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

/** A level of the result that mappings are still building. */
class Nested {
  readonly entries = new Map<string, unknown>();
}

/** A level whose existing value was not an object: it stays null and swallows nested writes. */
const POISON: unique symbol = Symbol('poisoned level');

export function applyMappings(
  mappings: readonly VariableMapping[],
  source: Readonly<Record<string, unknown>>,
  nowMs: number,
  options: MappingOptions = {},
): MappingResult {
  const kind = options.kind ?? 'input';
  const targetScope = options.targetScope ?? source;
  const root = new Nested();

  for (const mapping of mappings) {
    const path = mapping.target.split('.');
    if (path.some((segment) => segment === '')) {
      return { ok: false, message: `Invalid ${kind} mapping target '${mapping.target}'` };
    }
    const context = root.entries.size === 0 ? source : overlay(source, root, kind);
    const evaluated = evaluate(mapping.source, context, nowMs);
    if (!evaluated.ok) {
      return {
        ok: false,
        message: `Failed to evaluate the ${kind} mapping '${expressionText(mapping.source)}' to '${mapping.target}': ${evaluated.message}`,
      };
    }
    put(root, path, evaluated.value, kind === 'output' ? targetScope : null);
  }
  return { ok: true, result: toPlain(root) };
}

function put(root: Nested, path: readonly string[], value: unknown, mergeScope: Readonly<Record<string, unknown>> | null): void {
  let current = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const entry = current.entries.get(key);
    if (entry === POISON) return;
    if (entry instanceof Nested) {
      current = entry;
      continue;
    }
    // Absent, or a plain value from an earlier mapping: (re)create the level.
    const level = mergeScope === null ? new Nested() : seedFromScope(mergeScope, path.slice(0, i + 1));
    current.entries.set(key, level);
    if (level === POISON) return;
    current = level;
  }
  current.entries.set(path[path.length - 1]!, value);
}

function seedFromScope(scope: Readonly<Record<string, unknown>>, prefix: readonly string[]): Nested | typeof POISON {
  let value: unknown = scope;
  for (const key of prefix) {
    value = isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  }
  if (value === null || value === undefined) return new Nested();
  if (!isPlainObject(value)) return POISON;
  const seeded = new Nested();
  for (const [key, entry] of Object.entries(value)) seeded.entries.set(key, entry);
  return seeded;
}

/** The variables a mapping sees: the source, with what earlier mappings produced on top. */
function overlay(source: Readonly<Record<string, unknown>>, root: Nested, kind: 'input' | 'output'): Record<string, unknown> {
  const context: Record<string, unknown> = { ...source };
  for (const [name, entry] of root.entries) {
    let value: unknown;
    if (entry === POISON) value = null;
    else if (entry instanceof Nested) value = kind === 'input' ? withScopeFallback(entry, source[name]) : toPlain(entry);
    else value = entry;
    Object.defineProperty(context, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return context;
}

function withScopeFallback(partial: Nested, scopeValue: unknown): Record<string, unknown> {
  if (!isPlainObject(scopeValue)) return toPlain(partial);
  const completed: Record<string, unknown> = { ...scopeValue };
  for (const [key, entry] of partial.entries) {
    const value = entry instanceof Nested ? withScopeFallback(entry, completed[key]) : entry === POISON ? null : entry;
    Object.defineProperty(completed, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return completed;
}

function toPlain(level: Nested): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, entry] of level.entries) {
    const value = entry instanceof Nested ? toPlain(entry) : entry === POISON ? null : entry;
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}
