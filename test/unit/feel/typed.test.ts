import { describe, expect, it } from 'vitest';
import { staticExpression, toExpression } from '../../../src/feel/expression.js';
import {
  evaluateBoolean,
  evaluateCorrelationKey,
  evaluateCycle,
  evaluateDateTime,
  evaluateDuration,
  evaluateInteger,
  evaluateOptionalDateTime,
  evaluateString,
  evaluateStringList,
} from '../../../src/feel/typed.js';

const NOW = Date.parse('2025-01-31T12:00:00Z');
const feel = (source: string) => toExpression(`=${source}`);

describe('evaluateBoolean', () => {
  it('returns booleans', () => {
    expect(evaluateBoolean(feel('x > 5'), { x: 6 }, NOW)).toEqual({ ok: true, value: true });
    expect(evaluateBoolean(feel('x > 5'), { x: 4 }, NOW)).toEqual({ ok: true, value: false });
  });

  it("reports a missing variable the way Zeebe's incident does", () => {
    expect(evaluateBoolean(feel('x > 5'), {}, NOW)).toEqual({
      ok: false,
      message:
        "Expected result of the expression 'x > 5' to be 'BOOLEAN', but was 'NULL'. The evaluation reported the following warnings:\n" +
        "[NO_VARIABLE_FOUND] No variable found with name 'x'",
    });
  });

  it('names the actual type', () => {
    expect(evaluateBoolean(feel('"yes"'), {}, NOW)).toEqual({
      ok: false,
      message: "Expected result of the expression '\"yes\"' to be 'BOOLEAN', but was 'STRING'.",
    });
    expect(evaluateBoolean(feel('{a: 1}'), {}, NOW)).toMatchObject({ message: expect.stringContaining("but was 'OBJECT'") });
    expect(evaluateBoolean(feel('[1]'), {}, NOW)).toMatchObject({ message: expect.stringContaining("but was 'ARRAY'") });
    expect(evaluateBoolean(feel('@"PT1H"'), {}, NOW)).toMatchObject({ message: expect.stringContaining("but was 'DURATION'") });
    expect(evaluateBoolean(feel('@"P1Y"'), {}, NOW)).toMatchObject({ message: expect.stringContaining("but was 'PERIOD'") });
    expect(evaluateBoolean(feel('[1..2]'), {}, NOW)).toMatchObject({ message: expect.stringContaining("but was 'UNKNOWN'") });
  });

  it('types static values like Zeebe', () => {
    expect(evaluateBoolean(staticExpression('true'), {}, NOW)).toEqual({ ok: true, value: true });
    expect(evaluateBoolean(staticExpression('1'), {}, NOW)).toMatchObject({ message: expect.stringContaining("but was 'NUMBER'") });
  });
});

describe('evaluateString', () => {
  it('returns strings and static values', () => {
    expect(evaluateString(feel('"job-" + kind'), { kind: 'a' }, NOW)).toEqual({ ok: true, value: 'job-a' });
    expect(evaluateString(staticExpression('payment'), {}, NOW)).toEqual({ ok: true, value: 'payment' });
    expect(evaluateString(staticExpression('123'), {}, NOW)).toEqual({ ok: true, value: '123' });
  });

  it('refuses other types with a Zeebe-style message', () => {
    expect(evaluateString(feel('type'), {}, NOW)).toEqual({
      ok: false,
      message:
        "Expected result of the expression 'type' to be 'STRING', but was 'NULL'. The evaluation reported the following warnings:\n" +
        "[NO_VARIABLE_FOUND] No variable found with name 'type'",
    });
    expect(evaluateString(feel('5'), {}, NOW)).toMatchObject({ message: expect.stringContaining("but was 'NUMBER'") });
  });
});

describe('evaluateCorrelationKey', () => {
  it('accepts strings and converts numbers like Zeebe (truncated to a long)', () => {
    expect(evaluateCorrelationKey(feel('orderId'), { orderId: 'o-1' }, NOW)).toEqual({ ok: true, value: 'o-1' });
    expect(evaluateCorrelationKey(feel('orderId'), { orderId: 42 }, NOW)).toEqual({ ok: true, value: '42' });
    expect(evaluateCorrelationKey(feel('orderId'), { orderId: 42.9 }, NOW)).toEqual({ ok: true, value: '42' });
    expect(evaluateCorrelationKey(feel('orderId'), { orderId: -7 }, NOW)).toEqual({ ok: true, value: '-7' });
  });

  it('refuses anything else', () => {
    expect(evaluateCorrelationKey(feel('key'), {}, NOW)).toEqual({
      ok: false,
      message:
        "Failed to extract the correlation key for 'key': The value must be either a string or a number, but was 'NULL'. " +
        "The evaluation reported the following warnings:\n[NO_VARIABLE_FOUND] No variable found with name 'key'",
    });
    expect(evaluateCorrelationKey(feel('key'), { key: true }, NOW)).toMatchObject({ message: expect.stringContaining("but was 'BOOLEAN'") });
  });
});

describe('evaluateInteger', () => {
  it('reads static and FEEL numbers', () => {
    expect(evaluateInteger(staticExpression('3'), {}, NOW)).toEqual({ ok: true, value: 3 });
    expect(evaluateInteger(feel('retries + 1'), { retries: 2 }, NOW)).toEqual({ ok: true, value: 3 });
  });

  it('refuses decimals and non-numbers', () => {
    expect(evaluateInteger(feel('2.5'), {}, NOW)).toEqual({
      ok: false,
      message: "Expected result of the expression '2.5' to be an integer, but was a decimal.",
    });
    expect(evaluateInteger(staticExpression('three'), {}, NOW)).toEqual({
      ok: false,
      message: "Expected result of the expression 'three' to be 'NUMBER', but was 'STRING'.",
    });
  });
});

describe('evaluateStringList', () => {
  it('reads lists of strings and static CSV', () => {
    expect(evaluateStringList(feel('["a", "b"]'), {}, NOW)).toEqual({ ok: true, value: ['a', 'b'] });
    expect(evaluateStringList(staticExpression('a, b,c'), {}, NOW)).toEqual({ ok: true, value: ['a', 'b', 'c'] });
  });

  it('refuses lists with other items', () => {
    expect(evaluateStringList(feel('["a", 1]'), {}, NOW)).toEqual({
      ok: false,
      message:
        "Expected result of the expression '[\"a\", 1]' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item.",
    });
  });
});

describe('evaluateDuration', () => {
  it('reads ISO strings and FEEL durations', () => {
    expect(evaluateDuration(staticExpression('PT10S'), {}, NOW)).toEqual({ ok: true, value: 10_000 });
    expect(evaluateDuration(feel('wait'), { wait: 'PT0.5S' }, NOW)).toEqual({ ok: true, value: 500 });
    expect(evaluateDuration(feel('duration("PT1H") + duration("PT1H")'), {}, NOW)).toEqual({ ok: true, value: 7_200_000 });
  });

  it('counts months from now in UTC', () => {
    // 2025-01-31 + P1M = 2025-02-28 (clamped): 28 days.
    expect(evaluateDuration(staticExpression('P1M'), {}, NOW)).toEqual({ ok: true, value: 28 * 86_400_000 });
    expect(evaluateDuration(feel('@"P1M"'), {}, NOW)).toEqual({ ok: true, value: 28 * 86_400_000 });
  });

  it('refuses bad formats, types and negative durations', () => {
    expect(evaluateDuration(feel('wait'), { wait: '10 seconds' }, NOW)).toEqual({
      ok: false,
      message: "Invalid duration format '10 seconds' for expression 'wait'.",
    });
    expect(evaluateDuration(feel('wait'), {}, NOW)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Expected result of the expression 'wait' to be one of '\[DURATION, PERIOD, STRING\]', but was 'NULL'\./),
    });
    expect(evaluateDuration(feel('duration("-PT5S")'), {}, NOW)).toMatchObject({
      ok: false,
      message: expect.stringContaining('must not be negative'),
    });
  });
});

describe('evaluateDateTime', () => {
  it('reads zoned strings and FEEL date-times', () => {
    expect(evaluateDateTime(staticExpression('2025-02-01T10:00:00+01:00'), {}, NOW)).toEqual({
      ok: true,
      value: Date.parse('2025-02-01T09:00:00Z'),
    });
    expect(evaluateDateTime(feel('now() + @"PT1H"'), {}, NOW)).toEqual({ ok: true, value: NOW + 3_600_000 });
    expect(evaluateDateTime(feel('date and time("2025-07-01T10:00:00@Europe/Berlin")'), {}, NOW)).toEqual({
      ok: true,
      value: Date.parse('2025-07-01T08:00:00Z'),
    });
    expect(evaluateDateTime(feel('date and time("2025-07-01T10:00:00")'), {}, NOW)).toEqual({
      ok: true,
      value: Date.parse('2025-07-01T10:00:00Z'),
    });
  });

  it('refuses strings without offset and other types', () => {
    expect(evaluateDateTime(feel('due'), { due: '2025-02-01T10:00:00' }, NOW)).toEqual({
      ok: false,
      message: "Invalid date-time format '2025-02-01T10:00:00' for expression 'due'.",
    });
    expect(evaluateDateTime(feel('date("2025-02-01")'), {}, NOW)).toEqual({
      ok: false,
      message: "Expected result of the expression 'date(\"2025-02-01\")' to be one of '[DATE_TIME, STRING]', but was 'DATE'.",
    });
  });

  it('treats null and empty as not set when optional', () => {
    expect(evaluateOptionalDateTime(feel('due'), { due: null }, NOW)).toEqual({ ok: true, value: null });
    expect(evaluateOptionalDateTime(staticExpression(''), {}, NOW)).toEqual({ ok: true, value: null });
    expect(evaluateOptionalDateTime(feel('due'), { due: '2025-02-01T10:00:00Z' }, NOW)).toEqual({
      ok: true,
      value: Date.parse('2025-02-01T10:00:00Z'),
    });
  });
});

describe('evaluateCycle', () => {
  it('reads repeating intervals', () => {
    expect(evaluateCycle(staticExpression('R5/PT10S'), {}, NOW)).toMatchObject({
      ok: true,
      value: { repetitions: 5, intervalMs: 10_000 },
    });
    expect(evaluateCycle(feel('"R/PT" + string(n) + "M"'), { n: 1 }, NOW)).toMatchObject({
      ok: true,
      value: { repetitions: -1, intervalMs: 60_000 },
    });
    const withStart = evaluateCycle(staticExpression('R3/2025-01-01T00:00:00Z/PT1H'), {}, NOW);
    expect(withStart).toMatchObject({
      ok: true,
      value: { repetitions: 3, intervalMs: 3_600_000, startMs: Date.parse('2025-01-01T00:00:00Z') },
    });
  });

  it('refuses five-field cron, zero intervals and non-strings; takes six-field cron', () => {
    expect(evaluateCycle(staticExpression('0 0 * * *'), {}, NOW)).toMatchObject({
      ok: false,
      message: expect.stringContaining('a cron expression has 6 fields'),
    });
    expect(evaluateCycle(staticExpression('0 0 * * * *'), {}, NOW)).toMatchObject({ ok: true, value: { repetitions: -1, cron: '0 0 * * * *' } });
    expect(evaluateCycle(staticExpression('R/PT0S'), {}, NOW)).toMatchObject({
      ok: false,
      message: expect.stringContaining('the interval must be longer than zero'),
    });
    expect(evaluateCycle(feel('cycle'), {}, NOW)).toMatchObject({
      ok: false,
      message: expect.stringContaining("Expected result of the expression 'cycle' to be 'STRING', but was 'NULL'."),
    });
  });
});
