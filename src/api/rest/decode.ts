/**
 * Turning JSON request values into the node's shapes. The route schemas have already checked
 * JSON types; these check meaning (keys exact and in range, tenants, blank strings, durations).
 * Every failure is an INVALID_ARGUMENT ZenError whose message names the field.
 */
import { DEFAULT_TENANT, type Variables } from '../../node/api.js';
import { distinctTenants, tenantIdProblem } from '../shared/tenant-ids.js';
import { ZenError } from '../../errors.js';

const INT64_MAX = (1n << 63n) - 1n;
/** The longest decimal int64, with room for leading zeros a client might send. */
const MAX_KEY_DIGITS = 25;
const DIGITS = /^[0-9]+$/;
/** setTimeout's ceiling; larger waits would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function invalid(message: string): ZenError {
  return new ZenError('INVALID_ARGUMENT', message);
}

/** How a JSON value reads in an error message. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'not given';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `the string '${value.slice(0, 40)}…'` : `the string '${value}'`;
    case 'number':
    case 'bigint':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/**
 * A key (path parameter or body field): Camunda 8.8 sends keys as decimal strings so they survive
 * JSON parsers that read numbers as doubles. Parsed exactly; must be an int64 greater than 0.
 */
export function decodeKey(value: unknown, field: string): bigint {
  if (typeof value !== 'string') {
    throw invalid(
      `Property '${field}' is invalid: expected a key as a decimal string (such as "2251799813685249"), ` +
        `but it was ${describeJson(value)}`,
    );
  }
  if (!DIGITS.test(value) || value.length > MAX_KEY_DIGITS) {
    throw invalid(`Property '${field}' is invalid: expected a numeric key, but it was '${clip(value)}'`);
  }
  const key = BigInt(value);
  if (key < 1n || key > INT64_MAX) {
    throw invalid(`Property '${field}' is invalid: expected a key between 1 and ${INT64_MAX}, but it was '${value}'`);
  }
  return key;
}

export function decodeRequiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`Property '${field}' is invalid: expected a non-empty string, but it was ${describeBlank(value)}`);
  }
  return value;
}

/** An optional string: absent and null mean empty, as in Zeebe. */
export function decodeString(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw invalid(`Property '${field}' is invalid: expected a string, but it was ${describeJson(value)}`);
  }
  return value;
}

export function decodeStringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalid(`Property '${field}' is invalid: expected a list of strings, but it was ${describeJson(value)}`);
  }
  return value as string[];
}

/** An optional int32 (schema-checked), with its default when absent. */
export function decodeInteger(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`Property '${field}' is invalid: expected an integer, but it was ${describeJson(value)}`);
  }
  return value;
}

/** A duration in milliseconds that must not be negative; absent means `fallback`. */
export function decodeDuration(value: unknown, field: string, fallback = 0): number {
  const ms = decodeInteger(value, field, fallback);
  if (ms < 0 || !Number.isSafeInteger(ms)) {
    throw invalid(`Property '${field}' is invalid: expected a duration of 0 ms or more, but it was ${ms}`);
  }
  return ms;
}

/** Caps a wait the server arms itself, so a huge client value cannot overflow a timer. */
export function clampWait(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}

export function decodeBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    throw invalid(`Property '${field}' is invalid: expected a boolean, but it was ${describeJson(value)}`);
  }
  return value;
}

/** A variables document: a JSON object. Absent and null mean no variables. */
export function decodeVariables(value: unknown, field = 'variables'): Variables {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`Property '${field}' is invalid: expected a JSON object, but it was ${describeJson(value)}`);
  }
  return value as Variables;
}

/**
 * The tenant a request names: absent, blank or `<default>` is the default tenant (Camunda refuses
 * an absent one with multi-tenancy on; Zen takes it as `<default>`). Without multi-tenancy any
 * other tenant is refused, with it an id that breaks Zeebe's rules (`shared/tenant-ids.ts`), in
 * Camunda's words.
 */
export function decodeTenant(value: unknown, operation: string, multiTenancy = false): string {
  if (value === undefined || value === null) return DEFAULT_TENANT;
  if (typeof value !== 'string') {
    throw invalid(`Property 'tenantId' is invalid: expected a string, but it was ${describeJson(value)}`);
  }
  if (value.trim() === '') return DEFAULT_TENANT;
  const problem = tenantIdProblem(value, multiTenancy);
  // Camunda ends the validation failures with a full stop, not the disabled one.
  if (problem) throw invalid(`Expected to handle request ${operation} with tenant identifier '${clip(value)}', but ${problem}${multiTenancy ? '.' : ''}`);
  return value;
}

/** A worker's tenants (job activation): each checked like `tenantId`; none is the default tenant. */
export function decodeTenantIds(value: unknown, operation: string, multiTenancy = false): string[] {
  if (value === undefined || value === null) return [DEFAULT_TENANT];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalid(`Property 'tenantIds' is invalid: expected a list of strings, but it was ${describeJson(value)}`);
  }
  return distinctTenants(value.map((tenantId: string) => decodeTenant(tenantId, operation, multiTenancy)));
}

/** Refuses a field Zen does not act on yet, so a client never believes it took effect. */
export function rejectUnsupported(value: unknown, field: string, operation: string): void {
  const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
  if (given) {
    throw new ZenError('UNIMPLEMENTED', `${operation} with '${field}' is not supported by Zen yet`);
  }
}

function describeBlank(value: unknown): string {
  return typeof value === 'string' ? 'blank' : describeJson(value);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
