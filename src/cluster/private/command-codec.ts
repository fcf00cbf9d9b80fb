/**
 * Engine commands and responses, and reads and their answers, on the internal wire. v8's structured serialization keeps
 * bigint keys, Maps and Buffers exactly, which JSON would not; both ends run Zen, so the
 * format's lack of a schema costs nothing.
 */
import type { HistoryRead, PartitionRead, PartitionReadResult } from '../../history/read.js';
import { AGGREGATE_KINDS, type HistoryAggregate } from '../../history/statistics/aggregate.js';
import { deserialize, serialize } from 'node:v8';
import { ZenError } from '../../errors.js';
import type { CommandResponse, EngineCommand } from '../../engine/processing/types.js';
import type { ReadAnswer } from '../../node/api.js';

/** What crosses the wire of a command: the receiving partition assigns requestId and prepares the attachment itself. */
export type WireCommand = Omit<EngineCommand, 'requestId' | 'attachment'>;

export function encodeCommand(command: Omit<EngineCommand, 'requestId'>): Buffer {
  const { valueType, intent, key, value, authorizedTenants } = command;
  return serialize({ valueType, intent, key, value, ...(authorizedTenants ? { authorizedTenants } : {}) });
}

export function decodeCommand(bytes: Buffer): WireCommand {
  const decoded = decodeBytes(bytes, 'command', 'INVALID_ARGUMENT');
  const command = decoded as Partial<WireCommand> | null;
  if (
    typeof command !== 'object' ||
    command === null ||
    typeof command.valueType !== 'string' ||
    typeof command.intent !== 'string' ||
    typeof command.key !== 'bigint'
  ) {
    throw new ZenError('INVALID_ARGUMENT', 'Expected an engine command (valueType, intent, bigint key), but the internal request held something else');
  }
  const authorizedTenants = command.authorizedTenants as unknown;
  if (authorizedTenants !== undefined && !(Array.isArray(authorizedTenants) && authorizedTenants.every((t) => typeof t === 'string'))) {
    throw new ZenError('INVALID_ARGUMENT', 'Expected the authorized tenants of an engine command to be a list of tenant ids, but the internal request held something else');
  }
  return {
    valueType: command.valueType,
    intent: command.intent,
    key: command.key,
    value: command.value,
    // A sender without them (an older node) acts for every tenant, as before.
    ...(authorizedTenants ? { authorizedTenants: authorizedTenants as string[] } : {}),
  };
}

export function encodeResponse(response: CommandResponse): Buffer {
  return serialize(response);
}

export function decodeResponse(bytes: Buffer): CommandResponse {
  const response = decodeBytes(bytes, 'response', 'INTERNAL') as CommandResponse | null;
  if (typeof response !== 'object' || response === null || typeof response.ok !== 'boolean') {
    throw new ZenError('INTERNAL', 'Expected a command response from the partition leader, but it sent something else');
  }
  return response;
}

export function encodeReadQuery(query: PartitionRead): Buffer {
  return serialize(query);
}

const KEYED_READS: ReadonlySet<string> = new Set(['processInstance', 'userTask', 'userTaskForm', 'processDefinitionXml']);

export function decodeReadQuery(bytes: Buffer): PartitionRead {
  const query = decodeBytes(bytes, 'read query', 'INVALID_ARGUMENT') as { kind?: unknown; key?: unknown; filter?: unknown } | null;
  const invalid = () => new ZenError('INVALID_ARGUMENT', 'Expected a read query, but the internal request held something else');
  if (typeof query !== 'object' || query === null || typeof query.kind !== 'string') throw invalid();
  if (KEYED_READS.has(query.kind)) {
    if (typeof query.key !== 'bigint') throw invalid();
    return { kind: query.kind as 'processInstance' | 'userTask' | 'userTaskForm' | 'processDefinitionXml', key: query.key };
  }
  if (query.kind === 'users') {
    const since = (query as { since?: unknown }).since;
    if (typeof since !== 'number' || !Number.isInteger(since)) throw invalid();
    return { kind: 'users', since };
  }
  if (query.kind === 'history' && typeof (query as { search?: unknown }).search === 'object' && (query as { search?: unknown }).search !== null) {
    // Checked field by field where it runs (search/run.ts): an unknown resource or field is refused there.
    return { kind: 'history', search: (query as unknown as HistoryRead).search };
  }
  const aggregate = (query as { aggregate?: { kind?: unknown } }).aggregate;
  if (query.kind === 'historyAggregate' && typeof aggregate === 'object' && aggregate !== null && AGGREGATE_KINDS.has(String(aggregate.kind))) {
    // Its fields are checked where it runs (statistics/run.ts), like a search's.
    return { kind: 'historyAggregate', aggregate: aggregate as HistoryAggregate };
  }
  throw invalid();
}

export function encodeReadAnswer(answer: ReadAnswer<PartitionReadResult>): Buffer {
  return serialize(answer);
}

export function decodeReadAnswer(bytes: Buffer): ReadAnswer<PartitionReadResult> {
  const answer = decodeBytes(bytes, 'read answer', 'INTERNAL') as ReadAnswer<PartitionReadResult> | null;
  if (typeof answer !== 'object' || answer === null || typeof answer.servedBy !== 'object' || !('value' in answer)) {
    throw new ZenError('INTERNAL', 'Expected a read answer from the partition member, but it sent something else');
  }
  return answer;
}

function decodeBytes(bytes: Buffer, what: string, code: 'INVALID_ARGUMENT' | 'INTERNAL'): unknown {
  try {
    return deserialize(bytes);
  } catch (err) {
    throw new ZenError(code, `Cannot decode the internal ${what}: ${(err as Error).message}`);
  }
}
