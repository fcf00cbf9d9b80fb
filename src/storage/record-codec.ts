/**
 * Compact encoding of a batch of records for the log. Records of one batch repeat the same
 * field names and the same strings (value types, intents, process and element ids) over
 * and over; written as-is they dominate the disk bandwidth of a busy partition. A batch
 * therefore carries a table of shapes (field names with their kinds) and a table of
 * strings, and each record refers to them by index. User data (variables and other nested
 * objects) is stored as it is.
 */
import { deserialize, serialize } from 'node:v8';
import type { RecordType, ValueType, ZenRecord } from '../engine/records.js';

/**
 * Format 1 held one array per record; format 2 holds every record in one flat array. The
 * per-record arrays lived only until the batch was serialized, yet a scavenge during a large
 * batch found them all reachable, so V8 soon allocated them straight in the old generation
 * (a third of what a busy leader promoted, ADR 020). Format 1 is still read: logs written
 * before it stay replayable.
 */
const FORMAT = 2;
const RECORD_TYPES: readonly RecordType[] = ['COMMAND', 'EVENT', 'COMMAND_REJECTION'];
/** position, source, key, timestamp, recordType, valueType, intent, rejectionType, rejectionReason, shape */
const FIXED_FIELDS = 10;

interface Shape {
  keys: string[];
  /** Per field, whether it is an interned string. */
  interned: boolean[];
}

interface EncodedBatch {
  readonly f: number;
  readonly shapes: Shape[];
  readonly strings: string[];
  /**
   * Format 2: the records one after another, each FIXED_FIELDS values followed by its value's
   * fields in its shape's order (or by the value itself when the shape is -1).
   * Format 1: one such array per record.
   */
  readonly records: unknown[];
}

class Encoder {
  readonly shapes: Shape[] = [];
  readonly strings: string[] = [];
  readonly out: unknown[] = [];
  private readonly shapeIndex = new Map<string, number>();
  private readonly stringIndex = new Map<string, number>();
  /** Last shape seen per value type and intent. */
  private readonly lastShapeOf = new Map<string, Map<string, number>>();

  private fits(shape: Shape, keys: string[], fields: Record<string, unknown>): boolean {
    if (shape.keys.length !== keys.length) return false;
    for (let i = 0; i < keys.length; i++) {
      if (shape.keys[i] !== keys[i] || shape.interned[i] !== (typeof fields[keys[i]!] === 'string')) return false;
    }
    return true;
  }

  intern(text: string): number {
    let index = this.stringIndex.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.stringIndex.set(text, index);
    }
    return index;
  }

  record(record: ZenRecord): void {
    const out = this.out;
    out.push(
      record.position,
      record.sourceRecordPosition,
      record.key,
      record.timestamp,
      RECORD_TYPES.indexOf(record.recordType),
      this.intern(record.valueType),
      this.intern(record.intent),
      record.rejectionType === undefined ? -1 : this.intern(record.rejectionType),
      record.rejectionReason ?? null,
    );
    const value = record.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      out.push(-1, value);
      return;
    }
    const fields = value as Record<string, unknown>;
    const keys = Object.keys(fields);
    // Records of one kind nearly always have the same shape: check the last one seen for
    // this kind before building a signature.
    let byIntent = this.lastShapeOf.get(record.valueType);
    if (!byIntent) this.lastShapeOf.set(record.valueType, (byIntent = new Map()));
    const kind = record.recordType === 'EVENT' ? record.intent : `${record.recordType}:${record.intent}`;
    let shape = byIntent.get(kind);
    if (shape === undefined || !this.fits(this.shapes[shape]!, keys, fields)) {
      let signature = '';
      for (const key of keys) signature += (typeof fields[key] === 'string' ? 's' : 'o') + key + '\u0000';
      shape = this.shapeIndex.get(signature);
      if (shape === undefined) {
        shape = this.shapes.length;
        this.shapes.push({ keys, interned: keys.map((k) => typeof fields[k] === 'string') });
        this.shapeIndex.set(signature, shape);
      }
      byIntent.set(kind, shape);
    }
    out.push(shape);
    const { interned } = this.shapes[shape]!;
    for (let i = 0; i < keys.length; i++) {
      const field = fields[keys[i]!];
      out.push(interned[i] ? this.intern(field as string) : field);
    }
  }
}

export function encodeRecords(records: readonly ZenRecord[]): Buffer {
  const encoder = new Encoder();
  for (let i = 0; i < records.length; i++) encoder.record(records[i]!);
  const batch: EncodedBatch = { f: FORMAT, shapes: encoder.shapes, strings: encoder.strings, records: encoder.out };
  return serialize(batch);
}

/** Reads the record that starts at `at` in `r`; returns the index after it. */
function decodeOne(r: unknown[], at: number, shapes: Shape[], strings: string[], partitionId: number, into: ZenRecord[]): number {
  const record: ZenRecord = {
    position: r[at] as number,
    sourceRecordPosition: r[at + 1] as number,
    key: r[at + 2] as bigint,
    timestamp: r[at + 3] as number,
    partitionId,
    recordType: RECORD_TYPES[r[at + 4] as number]!,
    valueType: strings[r[at + 5] as number] as ValueType,
    intent: strings[r[at + 6] as number]!,
    value: undefined,
  };
  if ((r[at + 7] as number) >= 0) record.rejectionType = strings[r[at + 7] as number] as ZenRecord['rejectionType'];
  if (r[at + 8] !== null) record.rejectionReason = r[at + 8] as string;
  into.push(record);
  const shapeIndex = r[at + 9] as number;
  const first = at + FIXED_FIELDS;
  if (shapeIndex < 0) {
    record.value = r[first];
    return first + 1;
  }
  const { keys, interned } = shapes[shapeIndex]!;
  const value: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const field = r[first + i];
    value[keys[i]!] = interned[i] ? strings[field as number] : field;
  }
  record.value = value;
  return first + keys.length;
}

export function decodeRecords(data: Buffer, partitionId: number): ZenRecord[] {
  const batch = deserialize(data) as EncodedBatch;
  const { shapes, strings, records } = batch;
  const out: ZenRecord[] = [];
  if (batch.f === FORMAT) {
    for (let at = 0; at < records.length; ) at = decodeOne(records, at, shapes, strings, partitionId, out);
  } else if (batch.f === 1) {
    for (const r of records as unknown[][]) decodeOne(r, 0, shapes, strings, partitionId, out);
  } else {
    throw new Error(`Unknown log entry format ${String(batch.f)}`);
  }
  return out;
}
