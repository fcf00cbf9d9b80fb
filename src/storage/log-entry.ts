import type { ZenRecord } from '../engine/records.js';
import { decodeRecords, encodeRecords } from './record-codec.js';

/** One committed batch of one partition's log. */
export interface LogEntry {
  readonly index: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  /** The key counter after the batch: replay restores it exactly. */
  readonly keyCounter: bigint;
  readonly records: ZenRecord[];
}

/** A log entry as stored and shipped: records encoded (see record-codec.ts). */
export interface RawLogEntry {
  readonly index: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly keyCounter: bigint;
  readonly data: Uint8Array;
}

/**
 * Numbers a batch's records after `lastPosition`; events point at the command that caused
 * them. Returns the last position used.
 */
export function assignPositions(records: ZenRecord[], lastPosition: number): number {
  let position = lastPosition;
  let commandPosition = -1;
  for (const record of records) {
    record.position = ++position;
    if (record.recordType === 'COMMAND') commandPosition = position;
    else record.sourceRecordPosition = commandPosition;
  }
  return position;
}

export function encodeEntry(entry: LogEntry): RawLogEntry {
  return {
    index: entry.index,
    firstPosition: entry.firstPosition,
    lastPosition: entry.lastPosition,
    keyCounter: entry.keyCounter,
    data: encodeRecords(entry.records),
  };
}

export function decodeEntry(raw: RawLogEntry, partitionId: number): LogEntry {
  return {
    index: raw.index,
    firstPosition: raw.firstPosition,
    lastPosition: raw.lastPosition,
    keyCounter: raw.keyCounter,
    records: decodeRecords(Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength), partitionId),
  };
}
