/** Context functions (DMN 1.5, 10.3.4.8). */
import { FeelContext } from '../values/context.js';
import type { Value } from '../values/value.js';
import { builtin, fail, register, type Registry } from './define.js';

function put(context: FeelContext, keys: readonly Value[], value: Value): FeelContext {
  const [key, ...rest] = keys;
  if (typeof key !== 'string') fail('keys must be strings');
  if (rest.length === 0) return context.with(key, value);
  const inner = context.get(key);
  if (!(inner instanceof FeelContext)) fail(`no context at key '${key}'`);
  return context.with(key, put(inner, rest, value));
}

export function registerContext(r: Registry): void {
  register(
    r,
    builtin('get value', [
      ['m: context, key: string', ([m, key]: [FeelContext, string]) => m.get(key) ?? null],
      ['m: context, keys: list', ([m, keys]: [FeelContext, Value[]]) => keys.reduce<Value>((c, k) => (c instanceof FeelContext && typeof k === 'string' ? (c.get(k) ?? null) : null), m)],
    ]),
    builtin('get entries', [['m: context', ([m]: [FeelContext]) => [...m.entries].map(([key, value]) => new FeelContext([['key', key], ['value', value]]))]]),
    builtin('context', [
      [
        'entries: list',
        ([entries]: [Value[]]) => {
          const map = new Map<string, Value>();
          for (const entry of entries) {
            if (!(entry instanceof FeelContext) || typeof entry.get('key') !== 'string' || !entry.has('value')) fail('each entry needs a string key and a value');
            const key = entry.get('key') as string;
            if (map.has(key)) fail(`duplicate key '${key}'`);
            map.set(key, entry.get('value')!);
          }
          return new FeelContext(map);
        },
      ],
    ]),
    builtin(
      'context put',
      [
        ['context: context, key: string, value: Any', ([c, key, value]) => (c === null || key === null ? null : put(c, [key], value))],
        ['context: context, keys: list, value: Any', ([c, keys, value]) => (c === null || keys === null || keys.length === 0 ? null : put(c, keys, value))],
      ],
      { nulls: true },
    ),
    builtin('context merge', [
      [
        'contexts: list',
        ([contexts]: [Value[]]) => {
          const map = new Map<string, Value>();
          for (const c of contexts) {
            if (!(c instanceof FeelContext)) fail('expected a list of contexts');
            for (const [k, v] of c.entries) map.set(k, v);
          }
          return new FeelContext(map);
        },
      ],
    ]),
  );
}
