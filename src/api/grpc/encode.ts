/** Node values to wire values. */
import { DEFAULT_TENANT } from '../../node/api.js';
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
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  }
  const members: string[] = [];
  for (const [name, member] of Object.entries(value)) {
    const encoded = write(member);
    if (encoded !== undefined) members.push(`${JSON.stringify(name)}:${encoded}`);
  }
  return `{${members.join(',')}}`;
}
