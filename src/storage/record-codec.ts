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

const FORMAT = 1;
const RECORD_TYPES: readonly RecordType[] = ['COMMAND', 'EVENT', 'COMMAND_REJECTION'];

/** A shape: field names of a record value and, per field, whether it is an interned string. */
interface EncodedBatch {
  readonly f: number;
  readonly shapes: Array<{ keys: string[]; interned: boolean[] }>;
  readonly strings: string[];
  /** [position, source, key, timestamp, recordType, valueType, intent, rejectionType, rejectionReason, shape, ...values] */
  readonly records: unknown[][];
}

class Encoder {
  readonly shapes: Array<{ keys: string[]; interned: boolean[] }> = [];
  readonly strings: string[] = [];
  private readonly shapeIndex = new Map<string, number>();
  private readonly stringIndex = new Map<string, number>();
  /** Last shape seen per value type and intent. */
  private readonly lastShapeOf = new Map<string, Map<string, number>>();

  private fits(shape: { keys: string[]; interned: boolean[] }, keys: string[], fields: Record<string, unknown>): boolean {
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

  record(record: ZenRecord): unknown[] {
    const out: unknown[] = [
      record.position,
      record.sourceRecordPosition,
      record.key,
      record.timestamp,
      RECORD_TYPES.indexOf(record.recordType),
      this.intern(record.valueType),
      this.intern(record.intent),
      record.rejectionType === undefined ? -1 : this.intern(record.rejectionType),
      record.rejectionReason ?? null,
    ];
    const value = record.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      out.push(-1, value);
      return out;
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
    return out;
  }
}

export function encodeRecords(records: readonly ZenRecord[]): Buffer {
  const encoder = new Encoder();
  const encoded: unknown[][] = new Array(records.length);
  for (let i = 0; i < records.length; i++) encoded[i] = encoder.record(records[i]!);
  const batch: EncodedBatch = { f: FORMAT, shapes: encoder.shapes, strings: encoder.strings, records: encoded };
  return serialize(batch);
}

export function decodeRecords(data: Buffer, partitionId: number): ZenRecord[] {
  const batch = deserialize(data) as EncodedBatch;
  if (batch.f !== FORMAT) throw new Error(`Unknown log entry format ${String(batch.f)}`);
  const { shapes, strings } = batch;
  return batch.records.map((r) => {
    const record: ZenRecord = {
      position: r[0] as number,
      sourceRecordPosition: r[1] as number,
      key: r[2] as bigint,
      timestamp: r[3] as number,
      partitionId,
      recordType: RECORD_TYPES[r[4] as number]!,
      valueType: strings[r[5] as number] as ValueType,
      intent: strings[r[6] as number]!,
      value: undefined,
    };
    if ((r[7] as number) >= 0) record.rejectionType = strings[r[7] as number] as ZenRecord['rejectionType'];
    if (r[8] !== null) record.rejectionReason = r[8] as string;
    const shapeIndex = r[9] as number;
    if (shapeIndex < 0) {
      record.value = r[10];
      return record;
    }
    const { keys, interned } = shapes[shapeIndex]!;
    const value: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const field = r[10 + i];
      value[keys[i]!] = interned[i] ? strings[field as number] : field;
    }
    record.value = value;
    return record;
  });
}
