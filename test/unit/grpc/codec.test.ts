/** The pure pieces: wire decoding, bigint-safe JSON, response batching. */
import { describe, expect, it } from 'vitest';
import {
  decodeInt64,
  decodeKey,
  decodeOptionalKey,
  decodeTenant,
  decodeTenantIds,
  decodeVariables,
} from '../../../src/api/grpc/decode.js';
import { toJson } from '../../../src/api/grpc/encode.js';
import { batchBySize, encodeJob } from '../../../src/api/grpc/job-encoding.js';
import { makeJob } from '../../support/fake-api.js';

describe('keys', () => {
  it('keeps int64 keys exact, up to the int64 maximum', () => {
    expect(decodeKey('2251799813685251', 'jobKey')).toBe(2251799813685251n);
    expect(decodeKey('9223372036854775807', 'jobKey')).toBe(9223372036854775807n);
  });

  it('rejects what cannot be a key', () => {
    expect(() => decodeKey('9223372036854775808', 'jobKey')).toThrow("Property 'jobKey' is invalid");
    expect(() => decodeKey('12a', 'jobKey')).toThrow("Property 'jobKey' is invalid");
    expect(() => decodeKey(undefined, 'jobKey')).toThrow("Property 'jobKey' is invalid");
  });

  it('reads 0 as unset where a key is optional', () => {
    expect(decodeOptionalKey('0', 'processDefinitionKey')).toBeNull();
  });

  it('reads other int64 fields as numbers', () => {
    expect(decodeInt64('-1', 'requestTimeout')).toBe(-1);
    expect(decodeInt64('30000', 'timeout')).toBe(30_000);
  });
});

describe('variables', () => {
  it('parses objects and keeps nested values', () => {
    expect(decodeVariables('{"a":{"b":[1,"x",null]}}')).toEqual({ a: { b: [1, 'x', null] } });
  });

  it('names the field it was given', () => {
    expect(() => decodeVariables('[]', 'document')).toThrow(
      "Property 'document' is invalid: Expected document to be a root level object, but was 'ARRAY'",
    );
  });
});

describe('tenants', () => {
  it('maps blank and <default> to the default tenant', () => {
    expect(decodeTenant('', 'PublishMessage')).toBe('<default>');
    expect(decodeTenant('  ', 'PublishMessage')).toBe('<default>');
    expect(decodeTenant('<default>', 'PublishMessage')).toBe('<default>');
    expect(decodeTenantIds([], 'ActivateJobs')).toEqual(['<default>']);
    expect(decodeTenantIds(['<default>', ''], 'ActivateJobs')).toEqual(['<default>']);
  });

  it('with multi-tenancy, takes ids of up to 31 letters, digits, _ . - and refuses others in Zeebe\'s words', () => {
    expect(decodeTenant('tenant.test-5_x', 'PublishMessage', true)).toBe('tenant.test-5_x');
    expect(decodeTenant('a'.repeat(31), 'PublishMessage', true)).toBe('a'.repeat(31));
    expect(decodeTenant('', 'PublishMessage', true)).toBe('<default>');
    expect(decodeTenant('<default>', 'PublishMessage', true)).toBe('<default>');
    expect(() => decodeTenant('a'.repeat(32), 'PublishMessage', true)).toThrow(
      `Expected to handle gRPC request PublishMessage with tenant identifier '${'a'.repeat(32)}', but tenant identifier is longer than 31 characters`,
    );
    expect(() => decodeTenant('tenant!@#', 'PublishMessage', true)).toThrow(
      "Expected to handle gRPC request PublishMessage with tenant identifier 'tenant!@#', but tenant identifier contains illegal characters",
    );
    expect(() => decodeTenant('a/b', 'PublishMessage', true)).toThrow('contains illegal characters');
    expect(decodeTenantIds(['b', 'a', 'b'], 'ActivateJobs', true)).toEqual(['b', 'a']);
    expect(decodeTenantIds([], 'ActivateJobs', true)).toEqual(['<default>']);
    expect(() => decodeTenantIds(['a', 'no way'], 'ActivateJobs', true)).toThrow("tenant identifier 'no way', but tenant identifier contains illegal characters");
  });
});

describe('toJson', () => {
  it('matches JSON.stringify for plain JSON values', () => {
    const value = { s: 'é"\n', n: 1.5, b: false, z: null, a: [1, { x: [] }], o: {}, d: new Date(0) };
    expect(toJson(value)).toBe(JSON.stringify(value));
  });

  it('drops undefined members like JSON.stringify and writes bigint as a number', () => {
    expect(toJson({ u: undefined, k: 2251799813685251n, list: [undefined, 9007199254740993n] })).toBe(
      '{"k":2251799813685251,"list":[null,9007199254740993]}',
    );
  });
});

describe('batchBySize', () => {
  it('keeps every job, in order, and starts a new batch before the limit', () => {
    const jobs = Array.from({ length: 5 }, (_, i) =>
      encodeJob(makeJob({ key: BigInt(i + 1), variables: { pad: 'x'.repeat(400) } })),
    );
    const batches = batchBySize(jobs, 1_200);
    expect(batches.flat().map((j) => j.key)).toEqual(['1', '2', '3', '4', '5']);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
  });

  it('sends a job larger than the limit on its own rather than dropping it', () => {
    const huge = encodeJob(makeJob({ variables: { pad: 'x'.repeat(5_000) } }));
    const small = encodeJob(makeJob({ key: 2n }));
    expect(batchBySize([small, huge, small], 1_000)).toEqual([[small], [huge], [small]]);
  });

  it('returns no batch for no jobs', () => {
    expect(batchBySize([], 1_000)).toEqual([]);
  });
});
