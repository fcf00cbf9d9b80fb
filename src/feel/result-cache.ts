/**
 * A memo of FEEL results, because feelin cannot cache what is expensive: its public API parses
 * and builds an interpreter tree on every call (≈40 µs for `x > 5`, ≈200 µs for a small context
 * literal) and its interpreter is not exported.
 *
 * Why this is correct: a FEEL expression is a pure function of its source and the values it can
 * reach. The evaluator already passes feelin only the variables whose names occur in the source
 * (the others are unreachable), so the key is the source plus exactly those names and values.
 * Anything that makes the result depend on more is not cached: `now()`/`today()` (injected
 * functions), values that are not plain JSON (their JSON text could collide with another value's),
 * and large inputs or outputs (to bound memory). Parsing depends on variable names (names with
 * spaces), which the key contains. The cache only changes speed, never results, so it cannot break
 * determinism or replay.
 */
import type { RawFeelResult } from './feel-result.js';
import { isPlainObject } from './feel-values.js';

const MAX_ENTRIES = 4096;
const MAX_KEY_LENGTH = 2048;
/** Values (inputs or results) with more nodes than this are not worth the memory. */
const MAX_NODES = 256;

const entries = new Map<string, RawFeelResult>();

/** The cache key for an evaluation, or null when it must not be cached. */
export function cacheKeyFor(source: string, context: Readonly<Record<string, unknown>>): string | null {
  if (source.length > MAX_KEY_LENGTH) return null;
  const budget = { nodes: MAX_NODES };
  const names = Object.keys(context);
  for (const name of names) {
    if (!isJsonWithin(context[name], budget)) return null;
  }
  const key = `${source}\u0000${JSON.stringify(names.map((name) => [name, context[name]]))}`;
  return key.length > MAX_KEY_LENGTH ? null : key;
}

export function cachedResult(key: string): RawFeelResult | undefined {
  const hit = entries.get(key);
  if (hit !== undefined) {
    // Refresh recency: Map keeps insertion order, so the oldest entry is evicted first.
    entries.delete(key);
    entries.set(key, hit);
  }
  return hit;
}

export function storeResult(key: string, result: RawFeelResult): void {
  if (result.ok && !isSmallResult(result.value)) return;
  // Shared between callers from now on; freezing turns an accidental mutation into an error.
  if (result.ok) deepFreeze(result.value);
  entries.set(key, Object.freeze(result));
  if (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
}

/** Drops every entry; for tests. */
export function clearResultCache(): void {
  entries.clear();
}

export function resultCacheSize(): number {
  return entries.size;
}

function isJsonWithin(value: unknown, budget: { nodes: number }): boolean {
  if (--budget.nodes < 0) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every((item) => isJsonWithin(item, budget));
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (!isJsonWithin(value[key], budget)) return false;
    }
    return true;
  }
  return false;
}

function deepFreeze(value: unknown): void {
  if (Array.isArray(value) || isPlainObject(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
}

/** Results are FEEL values (immutable temporals included); only their size matters here. */
function isSmallResult(value: unknown): boolean {
  const budget = { nodes: MAX_NODES };
  const walk = (item: unknown): boolean => {
    if (--budget.nodes < 0) return false;
    if (Array.isArray(item)) return item.every(walk);
    if (isPlainObject(item)) return Object.values(item).every(walk);
    return true;
  };
  return walk(value);
}
