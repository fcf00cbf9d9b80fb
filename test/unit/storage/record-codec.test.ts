import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { ZenRecord } from '../../../src/engine/records.js';
import { decodeRecords, encodeRecords } from '../../../src/storage/record-codec.js';

function record(position: number, fields: Partial<ZenRecord>): ZenRecord {
  return {
    position,
    sourceRecordPosition: position - 1,
    key: 2251799813685249n + BigInt(position),
    timestamp: 1_796_671_094_454,
    partitionId: 2,
    recordType: 'EVENT',
    valueType: 'PROCESS_INSTANCE',
    intent: 'ELEMENT_ACTIVATING',
    value: { bpmnElementType: 'SERVICE_TASK', elementId: 'task', flowScopeKey: 7n, version: 3 },
    ...fields,
  };
}

describe('record codec', () => {
  it('round-trips records of several shapes, rejections, and values that are not objects', () => {
    const records = [
      record(10, { recordType: 'COMMAND', intent: 'ACTIVATE_ELEMENT' }),
      record(11, {}),
      // Same kind, another shape: a field more, a string field turned number.
      record(12, { value: { bpmnElementType: 3, elementId: 'end', flowScopeKey: 7n, version: 3, extra: { nested: ['a', 1] } } }),
      record(13, { recordType: 'COMMAND_REJECTION', valueType: 'JOB', intent: 'COMPLETE', rejectionType: 'NOT_FOUND', rejectionReason: 'no such job', value: { jobKey: 5n } }),
      record(14, { valueType: 'VARIABLE', intent: 'CREATED', value: null }),
      record(15, { valueType: 'VARIABLE', intent: 'CREATED', value: [1, 'two'] }),
      record(16, { value: {} }),
    ];
    const encoded = encodeRecords(records);
    const decoded = decodeRecords(encoded, 2);
    expect(decoded).toEqual(records);
    // Format 2: every record in one flat array (10 fixed fields, then the value's fields).
    const batch = deserialize(encoded) as { f: number; records: unknown[] };
    expect(batch.f).toBe(2);
    expect(batch.records).toHaveLength(7 * 10 + 4 + 4 + 5 + 1 + 1 + 1 + 0);
    expect(decoded[0]).not.toHaveProperty('rejectionType');
  });

  it('still reads format 1 (one array per record), so logs written before format 2 replay', () => {
    const batch = {
      f: 1,
      shapes: [{ keys: ['elementId', 'version'], interned: [true, false] }],
      strings: ['PROCESS_INSTANCE', 'ELEMENT_COMPLETED', 'task'],
      records: [
        [20, 19, 99n, 1000, 1, 0, 1, -1, null, 0, 2, 4],
        [21, 19, 100n, 1000, 1, 0, 1, -1, null, -1, 'plain'],
      ],
    };
    expect(decodeRecords(serialize(batch), 3)).toEqual([
      { position: 20, sourceRecordPosition: 19, key: 99n, timestamp: 1000, partitionId: 3, recordType: 'EVENT', valueType: 'PROCESS_INSTANCE', intent: 'ELEMENT_COMPLETED', value: { elementId: 'task', version: 4 } },
      { position: 21, sourceRecordPosition: 19, key: 100n, timestamp: 1000, partitionId: 3, recordType: 'EVENT', valueType: 'PROCESS_INSTANCE', intent: 'ELEMENT_COMPLETED', value: 'plain' },
    ]);
  });

  it('refuses a format it does not know, by number', () => {
    expect(() => decodeRecords(serialize({ f: 9, shapes: [], strings: [], records: [] }), 1)).toThrow('Unknown log entry format 9');
  });
});
