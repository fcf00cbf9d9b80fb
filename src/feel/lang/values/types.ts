/**
 * FEEL types as used by `instance of`, typed function parameters and the future DMN typeRefs:
 * the built-in names plus the generic list<T>, range<T>, context<k: T> and function<T> -> R.
 */
import { FeelContext } from './context.js';
import { DaysTimeDuration, YearsMonthsDuration } from './duration.js';
import { FeelFunction } from './function.js';
import { isNumber } from './number.js';
import { FeelRange } from './range.js';
import { FeelDate, FeelDateTime, FeelTime } from './temporal.js';
import type { Value } from './value.js';

export type SimpleTypeName =
  | 'number'
  | 'string'
  | 'boolean'
  | 'date'
  | 'time'
  | 'date and time'
  | 'days and time duration'
  | 'years and months duration'
  | 'list'
  | 'context'
  | 'range'
  | 'function';

export type FeelType =
  | { readonly kind: 'any' }
  | { readonly kind: 'null' }
  | { readonly kind: 'simple'; readonly name: SimpleTypeName }
  | { readonly kind: 'list'; readonly element: FeelType }
  | { readonly kind: 'range'; readonly element: FeelType }
  | { readonly kind: 'context'; readonly entries: ReadonlyArray<readonly [string, FeelType]> }
  | { readonly kind: 'function'; readonly params: readonly FeelType[]; readonly result: FeelType };

export const ANY: FeelType = { kind: 'any' };

const SIMPLE = new Set<string>([
  'number',
  'string',
  'boolean',
  'date',
  'time',
  'date and time',
  'days and time duration',
  'years and months duration',
  'list',
  'context',
  'range',
  'function',
]);

const ALIASES: Record<string, string> = {
  dateTime: 'date and time',
  dayTimeDuration: 'days and time duration',
  yearMonthDuration: 'years and months duration',
  duration: 'days and time duration',
};

/** A type from its name (`number`, `Any`, `Null`, the DMN XSD aliases); undefined if unknown. */
export function namedType(name: string): FeelType | undefined {
  const normal = name.replace(/\s+/g, ' ').replace(/^feel:/, '');
  if (normal === 'Any') return ANY;
  if (normal === 'Null') return { kind: 'null' };
  const simple = ALIASES[normal] ?? normal;
  if (SIMPLE.has(simple)) return { kind: 'simple', name: simple as SimpleTypeName };
  return undefined;
}

export function simpleTypeOf(value: Value): SimpleTypeName | 'null' {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (isNumber(value)) return 'number';
  if (Array.isArray(value)) return 'list';
  if (value instanceof FeelDateTime) return 'date and time';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof DaysTimeDuration) return 'days and time duration';
  if (value instanceof YearsMonthsDuration) return 'years and months duration';
  if (value instanceof FeelRange) return 'range';
  if (value instanceof FeelFunction) return 'function';
  if (value instanceof FeelContext) return 'context';
  return 'null';
}

/** `value instance of type`: null is an instance of Null only. */
export function isInstance(value: Value, type: FeelType): boolean {
  switch (type.kind) {
    case 'any':
      return value !== null;
    case 'null':
      return value === null;
    case 'simple':
      return value !== null && simpleTypeOf(value) === type.name;
    case 'list':
      return Array.isArray(value) && (value as Value[]).every((item) => item === null || isInstance(item, type.element));
    case 'range':
      return value instanceof FeelRange && [value.start, value.end].every((end) => end === null || isInstance(end, type.element));
    case 'context':
      return value instanceof FeelContext && type.entries.every(([key, entryType]) => value.has(key) && conforms(value.get(key)!, entryType));
    case 'function':
      return value instanceof FeelFunction && value.signatures.some((s) => s.params.length === type.params.length || s.params.some((p) => p.variadic));
  }
}

/** Whether a value may be bound to a parameter or item of this type: null conforms to any type. */
export function conforms(value: Value, type: FeelType): boolean {
  return value === null || isInstance(value, type);
}

export function typeText(type: FeelType): string {
  switch (type.kind) {
    case 'any':
      return 'Any';
    case 'null':
      return 'Null';
    case 'simple':
      return type.name;
    case 'list':
    case 'range':
      return `${type.kind}<${typeText(type.element)}>`;
    case 'context':
      return `context<${type.entries.map(([k, t]) => `${k}: ${typeText(t)}`).join(', ')}>`;
    case 'function':
      return `function<${type.params.map(typeText).join(', ')}> -> ${typeText(type.result)}`;
  }
}
