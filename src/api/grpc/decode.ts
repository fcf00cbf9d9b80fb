/**
 * Turning wire values into the node's shapes. Every failure is an INVALID_ARGUMENT ZenError
 * whose message names the field, worded like Zeebe's gateway where Zeebe has a message.
 */
import { parseJson } from '../../engine/json.js';
import { DEFAULT_TENANT, type Variables } from '../../node/api.js';
import { ZenError } from '../../errors.js';
import { distinctTenants, tenantIdProblem } from '../shared/tenant-ids.js';
import { nestingProblem } from '../shared/json-nesting.js';

const INT64_MAX = (1n << 63n) - 1n;
/** setTimeout's ceiling; larger waits would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const INTEGER = /^-?\d+$/;

export function invalid(message: string): ZenError {
  return new ZenError('INVALID_ARGUMENT', message);
}

/** A key field: int64 > 0, kept as bigint from the decimal string proto-loader gives us. */
export function decodeKey(value: unknown, field: string): bigint {
  const key = decodeOptionalKey(value, field);
  if (key === null) {
    throw invalid(`Property '${field}' is invalid: expected a key greater than 0, but it was '0'`);
  }
  return key;
}

/** A key that may be left unset (0, the proto default); null when unset. */
export function decodeOptionalKey(value: unknown, field: string): bigint | null {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !INTEGER.test(text)) {
    throw invalid(`Property '${field}' is invalid: expected an int64 key, but it was '${String(value)}'`);
  }
  const key = BigInt(text);
  if (key < 0n || key > INT64_MAX) {
    throw invalid(`Property '${field}' is invalid: expected a key greater than 0, but it was '${text}'`);
  }
  return key === 0n ? null : key;
}

/** A non-key int64 (durations): safe as a JS number for any value a client can mean. */
export function decodeInt64(value: unknown, field: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !INTEGER.test(text)) {
    throw invalid(`Property '${field}' is invalid: expected an int64, but it was '${String(value)}'`);
  }
  return Number(text);
}

export function decodeInt32(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(`Property '${field}' is invalid: expected an int32, but it was '${String(value)}'`);
  }
  return value;
}

/** A duration in ms that must not be negative. */
export function decodeDuration(value: unknown, field: string): number {
  const ms = decodeInt64(value, field);
  if (ms < 0) {
    throw invalid(`Property '${field}' is invalid: expected a duration of 0 ms or more, but it was '${ms}'`);
  }
  return ms;
}

/** Caps a wait the server arms itself, so a huge client value cannot overflow a timer. */
export function clampWait(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}

/** A job's activation timeout: how long it stays with the worker. */
export function decodeJobTimeout(value: unknown): number {
  const timeoutMs = decodeInt64(value, 'timeout');
  if (timeoutMs < 1) {
    throw invalid(`Property 'timeout' is invalid: expected a job timeout greater than zero, but it was '${timeoutMs}'`);
  }
  return timeoutMs;
}

export function decodeRequiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`Property '${field}' is invalid: expected a non-empty string, but it was blank`);
  }
  return value;
}

export function decodeString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function decodeStringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalid(`Property '${field}' is invalid: expected a list of strings`);
  }
  return value as string[];
}

/**
 * A JSON object document. Blank and `null` mean no variables, as in Zeebe, where both become
 * the empty document.
 */
export function decodeVariables(value: unknown, field = 'variables'): Variables {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return {};
  const tooDeep = nestingProblem(text, 'the document');
  if (tooDeep) throw invalid(`Property '${field}' is invalid: ${tooDeep}`);
  let parsed: unknown;
  try {
    // int64 values beyond 2^53 stay exact (bigint), as in Zeebe's MessagePack documents.
    parsed = parseJson(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(`Property '${field}' is invalid: expected a JSON object, but it is not valid JSON (${reason})`);
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid(
      `Property '${field}' is invalid: Expected document to be a root level object, but was '${jsonKind(parsed)}'`,
    );
  }
  return parsed as Variables;
}

/** The type names Zeebe reports (its documents are MessagePack). */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'ARRAY';
  switch (typeof value) {
    case 'string':
      return 'STRING';
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
      return Number.isInteger(value) ? 'INTEGER' : 'FLOAT';
    default:
      return 'UNKNOWN';
  }
}

/**
 * The tenant a request names: blank or absent is the default tenant (Zeebe refuses a blank one
 * with multi-tenancy on; Zen takes it as `<default>`). Without multi-tenancy any other tenant is
 * refused, with it an id that breaks Zeebe's rules (`shared/tenant-ids.ts`), in Zeebe's words.
 */
export function decodeTenant(value: unknown, rpc: string, multiTenancy = false): string {
  const tenantId = typeof value === 'string' ? value : '';
  if (tenantId.trim() === '') return DEFAULT_TENANT;
  const problem = tenantIdProblem(tenantId, multiTenancy);
  if (problem) throw invalid(`Expected to handle gRPC request ${rpc} with tenant identifier '${tenantId}', but ${problem}`);
  return tenantId;
}

/** A worker's tenants (ActivateJobs, StreamActivatedJobs): each checked like `tenantId`; none is the default tenant. */
export function decodeTenantIds(value: unknown, rpc: string, multiTenancy = false): string[] {
  const tenantIds = decodeStringList(value, 'tenantIds').map((tenantId) => decodeTenant(tenantId, rpc, multiTenancy));
  return distinctTenants(tenantIds);
}
