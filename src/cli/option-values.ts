/**
 * Parsers for the values of client flags and arguments. A bad value is a usage error: commander
 * reports InvalidArgumentError as "option '…' argument '…' is invalid. <reason>" and exits 2.
 */
import { InvalidArgumentError } from 'commander';
import { duration } from '../config/values.js';

/** A JSON object, the shape the API takes variables in. */
export function parseVariables(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`Expected a JSON object: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError('Expected a JSON object, e.g. \'{"amount": 100}\'');
  }
  return value as Record<string, unknown>;
}

/** A key as the API writes it: a decimal string, kept as a string (keys exceed 2^53). */
export function parseKey(text: string): string {
  if (!/^\d{1,19}$/.test(text)) throw new InvalidArgumentError('Expected a key (a string of digits)');
  return text;
}

const ONE_YEAR_MS = 365 * 86_400_000;
const durationValue = duration(ONE_YEAR_MS);

/** Milliseconds, written with units as everywhere in zen (`30s`, `5m`, `1h30m`, `500ms`). */
export function parseDuration(text: string): number {
  const parsed = durationValue(text);
  if (!parsed.ok) throw new InvalidArgumentError(`It ${parsed.rule.replace(/ or 0\/off$/, ' or 0')}`);
  return parsed.value;
}

export function parseInteger(text: string): number {
  const n = Number(text);
  if (!/^[+-]?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('Expected an integer');
  return n;
}

export function parseCount(text: string): number {
  const n = parseInteger(text);
  if (n < 1) throw new InvalidArgumentError('Expected 1 or more');
  return n;
}

/** For repeatable flags: commander hands over the previous value. */
export function collect<T>(parse: (text: string) => T) {
  return (text: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(text)];
}
