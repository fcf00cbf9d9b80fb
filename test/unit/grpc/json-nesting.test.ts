/** The nesting bound for JSON documents (src/api/shared/json-nesting.ts), found by test/fuzz/grpc.test.ts. */
import { describe, expect, it } from 'vitest';
import { decodeVariables } from '../../../src/api/grpc/decode.js';
import { jsonNesting, MAX_JSON_NESTING } from '../../../src/api/shared/json-nesting.js';

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('jsonNesting', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonNesting('1')).toBe(0);
    expect(jsonNesting('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonNesting('{"a":"[[[{{{"}')).toBe(1);
    expect(jsonNesting('{"a":"\\"[[["}')).toBe(1);
  });

  it('stops counting past the limit', () => {
    expect(jsonNesting('['.repeat(100_000), 10)).toBe(11);
  });
});

describe('gRPC variables', () => {
  it('accepts documents nested up to the bound', () => {
    expect(decodeVariables(nested(MAX_JSON_NESTING))).toHaveProperty('a');
  });

  it('refuses deeper documents with INVALID_ARGUMENT naming the field', () => {
    expect(() => decodeVariables(nested(10_000))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: `Property 'variables' is invalid: the document nests deeper than ${MAX_JSON_NESTING} levels, which is not allowed` }),
    );
  });
});
