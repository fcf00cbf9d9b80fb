/** Node values to wire values. */
import { DEFAULT_TENANT } from '../../node/api.js';
import { stringifyJson } from '../../engine/json.js';
import type { Int64 } from './wire.js';

export function int64(value: bigint | number): Int64 {
  return typeof value === 'bigint' ? value.toString() : String(Math.trunc(value));
}

export function tenant(tenantId: string): string {
  return tenantId === '' ? DEFAULT_TENANT : tenantId;
}

/**
 * JSON.stringify that writes bigint as a plain JSON number instead of throwing, so an int64 the
 * engine keeps exact (a key stored in a variable, say) reaches the client exact.
 */
export function toJson(value: unknown): string {
  return stringifyJson(value);
}
