/**
 * Camunda's context functions differ from DMN's in details users rely on: `context put` with a
 * path creates the contexts on the way, `context()` lets a later entry win over an earlier one
 * with the same key, `context merge` also takes the contexts as separate arguments, a key path may
 * be given to `get value`, FEEL-Scala's parameter names bind as well as DMN's, and the deprecated
 * `put` / `put all` still work.
 */
import { FeelContext } from '../../values/context.js';
import type { FeelFunction } from '../../values/function.js';
import type { Value } from '../../values/value.js';
import { builtin, fail } from '../define.js';
import { alsoNamed } from './overloads.js';

function isKeyList(keys: readonly Value[]): keys is readonly string[] {
  return keys.every((k) => typeof k === 'string');
}

/** `key` is one key or a path of keys; an empty path or a non-string key finds nothing. */
function getValue(context: FeelContext, key: Value): Value {
  if (typeof key === 'string') return context.get(key) ?? null;
  if (!Array.isArray(key) || key.length === 0 || !isKeyList(key)) return null;
  let at: Value = context;
  for (const k of key) {
    if (!(at instanceof FeelContext)) return null;
    at = at.get(k) ?? null;
  }
  return at;
}

/** Whatever is on the path and is not a context is replaced by one. */
function putPath(context: FeelContext, [key, ...rest]: readonly string[], value: Value): FeelContext {
  if (rest.length === 0) return context.with(key!, value);
  const inner = context.get(key!);
  return context.with(key!, putPath(inner instanceof FeelContext ? inner : new FeelContext(), rest, value));
}

function put(context: FeelContext | null, key: Value, value: Value): Value {
  if (context === null || key === null) return null;
  if (typeof key === 'string') return context.with(key, value);
  if (!Array.isArray(key) || !isKeyList(key)) fail('keys must be a string or a list of strings');
  return key.length === 0 ? null : putPath(context, key, value);
}

function merge(contexts: readonly Value[]): Value {
  const entries = new Map<string, Value>();
  for (const c of contexts) {
    if (!(c instanceof FeelContext)) fail('expected a list of contexts');
    for (const [k, v] of c.entries) entries.set(k, v);
  }
  return new FeelContext(entries);
}

function fromEntries(entries: readonly Value[]): Value {
  const map = new Map<string, Value>();
  for (const entry of entries) {
    if (!(entry instanceof FeelContext) || typeof entry.get('key') !== 'string' || !entry.has('value')) fail('each entry needs a string key and a value');
    map.set(entry.get('key') as string, entry.get('value')!);
  }
  return new FeelContext(map);
}

function contextPut(name: string): FeelFunction {
  return builtin(
    name,
    [
      ['context: context, key: Any, value: Any', ([c, key, value]) => put(c, key, value)],
      ['context: context, keys: Any, value: Any', ([c, keys, value]) => put(c, keys, value)],
    ],
    { nulls: true },
  );
}

function contextMerge(name: string): FeelFunction {
  return builtin(name, [
    ['contexts: list', ([contexts]) => merge(contexts)],
    ['...contexts: Any', ([contexts]) => merge(contexts)],
  ]);
}

export function contextFunctions(): FeelFunction[] {
  return [
    builtin('get value', [
      ['m: context, key: Any', ([c, key]) => getValue(c, key)],
      ['context: context, key: Any', ([c, key]) => getValue(c, key)],
      ['context: context, keys: Any', ([c, keys]) => getValue(c, keys)],
    ]),
    alsoNamed('get entries', 'm', 'context'),
    contextPut('context put'),
    contextPut('put'),
    contextMerge('context merge'),
    contextMerge('put all'),
    builtin('context', [['entries: list', ([entries]) => fromEntries(entries)]]),
  ];
}
