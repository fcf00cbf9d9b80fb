import { describe, expect, it } from 'vitest';
import { compileFeel, compileUnaryTests } from '../../../src/feel/lang/index.js';
import { BUILTINS } from '../../../src/feel/lang/builtins/index.js';
import { CAMUNDA_BUILTINS } from '../../../src/feel/lang/builtins/camunda.js';
import { DMN_PROFILE } from '../../../src/feel/lang/profile.js';
import { evaluate, show, type Case } from './support.js';

const camunda = (source: string, context: Record<string, unknown> = {}): string => show(source, context, [], 'camunda');

/** Camunda 8.8's extensions: for each, a documented case and a null or edge case. */
const families: Record<string, Case[]> = {
  'boolean and null handling': [
    ['is defined(1)', 'true (boolean)'],
    ['is defined(null)', 'false (boolean)'],
    ['is defined({a: 1}.b)', 'false (boolean)'],
    ['get or else("this", "default")', 'this (string)'],
    ['get or else(null, "default")', 'default (string)'],
    ['get or else(null, null)', 'null'],
    ['assert(4, 4 >= 0)', '4 (number)'],
    ['assert(null, true, "never")', 'null'],
    ['fromAi(5)', '5 (number)'],
    ['fromAi("q", "The search query", "string", {enum: ["a"]}, {required: false})', 'q (string)'],
    ['fromAi(value: 7, type: "number")', '7 (number)'],
    ['fromAi(null, "described")', 'null'],
  ],
  string: [
    ['extract("references are 1234, 1256, 1378", "12[0-9]*")', '["1234", "1256"] (list)'],
    ['extract("abc", "[0-9]+")', '[] (list)'],
    ['extract(input: "a1b22", pattern: "[0-9]+")', '["1", "22"] (list)'],
    ['extract(null, "a")', 'null'],
    ['trim("  hello world  ")', 'hello world (string)'],
    ['trim("hello   world ")', 'hello   world (string)'],
    ['trim("\\u00A0a ")', '\u00A0a (string)'],
    ['trim(null)', 'null'],
    ['is blank("")', 'true (boolean)'],
    ['is blank(" \\t\\n")', 'true (boolean)'],
    ['is blank("hello world")', 'false (boolean)'],
    ['is blank("\\u00A0")', 'false (boolean)'],
    ['is blank(null)', 'null'],
    ['to base64("FEEL")', 'RkVFTA== (string)'],
    ['to base64("ä")', 'w6Q= (string)'],
    ['to base64(null)', 'null'],
  ],
  list: [
    ['duplicate values([1, 2, 3, 2, 1])', '[1, 2] (list)'],
    ['duplicate values([1, 1.0, "a"])', '[1] (list)'],
    ['duplicate values([])', '[] (list)'],
    ['duplicate values(null)', 'null'],
    ['is empty([])', 'true (boolean)'],
    ['is empty([1, 2, 3])', 'false (boolean)'],
    ['is empty(null)', 'null'],
    ['partition([1, 2, 3, 4, 5], 2)', '[[1, 2], [3, 4], [5]] (list)'],
    ['partition([], 2)', '[] (list)'],
    ['partition([1, 2], 0)', 'null'],
    ['partition(null, 2)', 'null'],
    ['string join(["a", "b", "c"], ", ", "[", "]")', '[a, b, c] (string)'],
    ['string join(["a", null], null, "<", ">")', '<a> (string)'],
    ['string join(["a", "b"], ", ")', 'a, b (string)'],
    ['string join([1], ", ", "[", "]")', 'null'],
    ['string join(["a"], ", ", "[")', 'null'],
  ],
  context: [
    ['get value({x: 1, y: {z: 0}}, ["y", "z"])', '0 (number)'],
    ['get value({x: {y: {z: 0}}}, ["x", "y"])', '{z: 0} (context)'],
    ['get value({a: {b: 3}}, ["b"])', 'null'],
    ['get value({a: 1}, [])', 'null'],
    ['get value(context: {foo: 123}, key: "foo")', '123 (number)'],
    ['get value(m: {foo: 123}, key: "foo")', '123 (number)'],
    ['get entries(context: {a: 1})', '[{key: "a", value: 1}] (list)'],
    ['context put({x: 1}, ["y"], 2)', '{x: 1, y: 2} (context)'],
    ['context put({x: 1, y: {z: 0}}, ["y", "z"], 2)', '{x: 1, y: {z: 2}} (context)'],
    ['context put({x: 1}, ["y", "z"], 2)', '{x: 1, y: {z: 2}} (context)'],
    ['context put({y: 1}, ["y", "z"], 2)', '{y: {z: 2}} (context)'],
    ['context put({x: 1}, [], 2)', 'null'],
    ['context put({x: 1}, "y", null)', '{x: 1, y: null} (context)'],
    ['put({x: 1}, "y", 2)', '{x: 1, y: 2} (context)'],
    ['context merge({x: 1}, {y: 2})', '{x: 1, y: 2} (context)'],
    ['context merge([{x: 1, y: 0}, {y: 2}])', '{x: 1, y: 2} (context)'],
    ['context merge([{x: 1}, 2])', 'null'],
    ['put all([{x: 1}, {y: 2}])', '{x: 1, y: 2} (context)'],
    ['context([{key: "a", value: 1}, {key: "a", value: 2}])', '{a: 2} (context)'],
    ['context([{key: "a"}])', 'null'],
  ],
  temporal: [
    ['last day of month(date("2022-10-01"))', '2022-10-31 (date)'],
    ['last day of month(date and time("2024-02-16T12:00:00"))', '2024-02-29 (date)'],
    ['last day of month(null)', 'null'],
    ['date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles")', '2020-07-31T05:27:30@America/Los_Angeles (date and time)'],
    ['date and time(@"2020-07-31T14:27:30Z", "+05:30")', '2020-07-31T19:57:30+05:30 (date and time)'],
    ['date and time(@"2020-07-31T14:27:30", "Z")', '2020-07-31T14:27:30Z (date and time)'],
    ['date and time(@"2020-07-31T14:27:30", "Not/A_Zone")', 'null'],
    ['date and time(@"2020-07-31T14:27:30", null)', 'null'],
    ['date and time(date("2012-12-24"), time("23:59:00"))', '2012-12-24T23:59:00 (date and time)'],
  ],
  numeric: [
    ['decimal(2.5, 0, "half_up")', '3 (number)'],
    ['decimal(2.5, 0)', '2 (number)'],
    ['decimal(-1.55, 1, "FLOOR")', '-1.6 (number)'],
    ['decimal(1.25, 1, "unnecessary")', 'null'],
    ['decimal(1.2, 1, "UNNECESSARY")', '1.2 (number)'],
    ['decimal(1.2, 0, "sideways")', 'null'],
    ['abs(number: -10)', '10 (number)'],
    ['abs(number: duration("-PT5H"))', 'PT5H (days and time duration)'],
    ['abs(n: -1)', '1 (number)'],
  ],
};

describe('Camunda 8.8 built-in functions (camunda profile)', () => {
  for (const [family, cases] of Object.entries(families)) {
    describe(family, () => {
      it.each(cases)('%s = %s', (source, expected) => {
        expect(camunda(source)).toBe(expected);
      });
    });
  }

  it('is defined is false for a missing variable and for one holding null, true for one with a value', () => {
    expect(camunda('is defined(x)')).toBe('false (boolean)');
    expect(camunda('is defined(x)', { x: null })).toBe('false (boolean)');
    expect(camunda('is defined(x.y)', { x: { z: 1 } })).toBe('false (boolean)');
    expect(camunda('is defined(x)', { x: 0 })).toBe('true (boolean)');
  });

  it('get or else falls back for a missing variable', () => {
    expect(camunda('get or else(priority, "prio-99")')).toBe('prio-99 (string)');
    expect(camunda('get or else(priority, "prio-99")', { priority: 'high' })).toBe('high (string)');
  });

  it('a failed assert fails the whole evaluation with its message, not just the call', () => {
    const failed = evaluate('if assert(x, x != null) = null then "swallowed" else "passed"', {}, [], 'camunda');
    expect(failed.value).toBeNull();
    expect(failed.failure).toEqual({ type: 'FUNCTION_INVOCATION_FAILURE', message: "Failed to invoke function 'assert': The condition is not fulfilled" });
    expect(failed.warnings.map((w) => w.type)).toEqual(['NO_VARIABLE_FOUND', 'NO_VARIABLE_FOUND', 'FUNCTION_INVOCATION_FAILURE']);

    const withCause = evaluate('assert(b, b >= 0, "\'b\' should be positive")', { b: -1 }, [], 'camunda');
    expect(withCause.failure?.message).toBe("Failed to invoke function 'assert': 'b' should be positive");

    const inCallback = evaluate('sort([3, 1, 2], function(a, b) assert(a < b, false))', {}, [], 'camunda');
    expect(inCallback.value).toBeNull();
    expect(inCallback.failure?.type).toBe('FUNCTION_INVOCATION_FAILURE');

    const passed = evaluate('assert(x, x != null)', { x: 'value' }, [], 'camunda');
    expect(passed.value).toBe('value');
    expect(passed.failure).toBeUndefined();
  });

  it('a failed assert in unary tests fails the test', () => {
    const compiled = compileUnaryTests('assert(?, ? > 0) > 1', { profile: 'camunda' });
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.test(5, {}).value).toBe(true);
    const failed = compiled.test(-5, {});
    expect(failed.value).toBeNull();
    expect(failed.failure?.message).toBe("Failed to invoke function 'assert': The condition is not fulfilled");
  });

  it('leaves out the non-deterministic uuid() and random number()', () => {
    for (const source of ['uuid()', 'random number()']) {
      const { value, warnings } = evaluate(source, {}, [], 'camunda');
      expect(value).toBeNull();
      expect(warnings[0]?.type).toBe('NO_FUNCTION_FOUND');
    }
  });

  it('reads backtick names as variable and context-entry names', () => {
    expect(camunda('`a-b` + 1', { 'a-b': 2 })).toBe('3 (number)');
    expect(camunda('`order id`', { 'order id': 'A-1' })).toBe('A-1 (string)');
    expect(camunda('x.`a-b` * 2', { x: { 'a-b': 5 } })).toBe('10 (number)');
  });
});

describe('the dmn profile does not know Camunda-only built-ins', () => {
  const camundaOnly = [...CAMUNDA_BUILTINS.keys()].filter((name) => !BUILTINS.has(name));

  it('lists every Camunda extension name, none of them in the DMN table', () => {
    expect(camundaOnly.sort()).toEqual(['assert', 'duplicate values', 'extract', 'fromAi', 'get or else', 'is blank', 'is defined', 'is empty', 'last day of month', 'partition', 'put', 'put all', 'to base64', 'trim'].sort());
    for (const name of camundaOnly) expect(DMN_PROFILE.builtins.has(name)).toBe(false);
  });

  it.each([
    ['is defined(1)'],
    ['get or else(null, 1)'],
    ['assert(1, true)'],
    ['trim(" a ")'],
    ['extract("a1", "[0-9]")'],
    ['partition([1, 2], 1)'],
    ['last day of month(date("2022-10-01"))'],
    ['put all([{a: 1}])'],
    ['fromAi(1)'],
  ])('%s is not a function in the dmn profile', (source) => {
    const compiled = compileFeel(source, { profile: 'dmn' });
    // Names with spaces are only known to the parser as built-ins; unknown, they may not parse.
    if (!compiled.ok) return expect(compiled.message).toMatch(/failed to parse/);
    const { value, warnings } = compiled.evaluate({});
    expect(value).toBeNull();
    expect(warnings.map((w) => w.type)).toContain('NO_FUNCTION_FOUND');
  });

  it('keeps the DMN overloads and their semantics', () => {
    expect(show('abs(number: -1)')).toBe('null');
    expect(show('context([{key: "a", value: 1}, {key: "a", value: 2}])')).toBe('null');
    expect(show('string join(["a"], ", ", "[", "]")')).toBe('null');
    expect(show('date and time(@"2020-07-31T14:27:30Z", "+05:30")')).toBe('null');
    expect(show('decimal(2.5, 0, "half_up")')).toBe('null');
  });
});
