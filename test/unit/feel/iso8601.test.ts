import { describe, expect, it } from 'vitest';
import {
  addIsoDuration,
  isNegativeDuration,
  isoDurationToMs,
  parseIsoDateTime,
  parseIsoDuration,
  parseRepeatingInterval,
  splitIsoDateTime,
} from '../../../src/feel/iso8601.js';

const utc = (iso: string): number => Date.parse(iso);

describe('parseIsoDuration', () => {
  it.each([
    ['PT15M', { minutes: 15 }],
    ['PT1H30M', { hours: 1, minutes: 30 }],
    ['P1DT12H', { days: 1, hours: 12 }],
    ['P1Y2M', { years: 1, months: 2 }],
    ['P2W', { weeks: 2 }],
    ['P1Y2M3W4DT5H6M7S', { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 }],
    ['PT0.5S', { seconds: 0, milliseconds: 500 }],
    ['PT1,25S', { seconds: 1, milliseconds: 250 }],
    ['PT0.0005S', { seconds: 0, milliseconds: 0 }],
    ['PT0S', {}],
  ])('parses %s', (text, fields) => {
    const parsed = parseIsoDuration(text);
    expect(parsed).not.toBeNull();
    expect(parsed).toMatchObject({ negative: false, ...fields });
  });

  it('parses signs', () => {
    expect(parseIsoDuration('-PT5S')).toMatchObject({ negative: true, seconds: 5 });
    expect(parseIsoDuration('+PT5S')).toMatchObject({ negative: false, seconds: 5 });
    expect(isNegativeDuration(parseIsoDuration('-PT5S')!)).toBe(true);
    expect(isNegativeDuration(parseIsoDuration('-PT0S')!)).toBe(false);
  });

  it.each(['', 'P', 'PT', 'P1DT', '1H', 'PT1.5M', 'P1.5D', 'PT1H2H', 'P1S', 'PT-5S', 'R/PT1S', 'pt1h', 'P99999999999999999999D'])(
    'rejects %j',
    (text) => {
      expect(parseIsoDuration(text)).toBeNull();
    },
  );
});

describe('duration arithmetic (UTC)', () => {
  it('adds exact parts', () => {
    const from = utc('2025-01-01T00:00:00Z');
    expect(isoDurationToMs(parseIsoDuration('PT1H30M0.5S')!, from)).toBe(5_400_500);
    expect(isoDurationToMs(parseIsoDuration('P2W')!, from)).toBe(14 * 86_400_000);
    expect(isoDurationToMs(parseIsoDuration('P1D')!, from)).toBe(86_400_000);
  });

  it('adds months relative to the start, clamping the day like java.time', () => {
    expect(addIsoDuration(utc('2025-01-31T10:00:00Z'), parseIsoDuration('P1M')!)).toBe(utc('2025-02-28T10:00:00Z'));
    expect(addIsoDuration(utc('2024-01-31T10:00:00Z'), parseIsoDuration('P1M')!)).toBe(utc('2024-02-29T10:00:00Z'));
    expect(addIsoDuration(utc('2024-02-29T00:00:00Z'), parseIsoDuration('P1Y')!)).toBe(utc('2025-02-28T00:00:00Z'));
    expect(addIsoDuration(utc('2025-01-15T00:00:00Z'), parseIsoDuration('P1Y2M')!)).toBe(utc('2026-03-15T00:00:00Z'));
    expect(isoDurationToMs(parseIsoDuration('P1M')!, utc('2025-02-01T00:00:00Z'))).toBe(28 * 86_400_000);
  });

  it('subtracts negative durations', () => {
    expect(addIsoDuration(utc('2025-03-31T00:00:00Z'), parseIsoDuration('-P1M')!)).toBe(utc('2025-02-28T00:00:00Z'));
  });

  it('reports overflow as null', () => {
    expect(addIsoDuration(0, parseIsoDuration('P999999999Y')!)).toBeNull();
  });
});

describe('parseIsoDateTime', () => {
  it.each([
    ['2025-01-01T10:00:00Z', '2025-01-01T10:00:00Z'],
    ['2025-01-01T10:00Z', '2025-01-01T10:00:00Z'],
    ['2025-01-01T10:00:00.250Z', '2025-01-01T10:00:00.250Z'],
    ['2025-01-01T10:00:00+01:00', '2025-01-01T09:00:00Z'],
    ['2025-01-01T10:00:00-0530', '2025-01-01T15:30:00Z'],
    ['2025-01-01T10:00:00+01:00[Europe/Berlin]', '2025-01-01T09:00:00Z'],
    ['2025-07-01T10:00:00[Europe/Berlin]', '2025-07-01T08:00:00Z'],
    ['2025-07-01T10:00:00@Europe/Berlin', '2025-07-01T08:00:00Z'],
    ['2025-01-01T10:00:00Z[UTC]', '2025-01-01T10:00:00Z'],
  ])('parses %s', (text, expected) => {
    expect(parseIsoDateTime(text)).toBe(utc(expected));
  });

  it('lets an explicit offset decide the instant', () => {
    expect(parseIsoDateTime('2025-07-01T10:00:00+05:00[Europe/Berlin]')).toBe(utc('2025-07-01T05:00:00Z'));
  });

  it('requires an offset or zone unless told to read local values as UTC', () => {
    expect(parseIsoDateTime('2025-01-01T10:00:00')).toBeNull();
    expect(parseIsoDateTime('2025-01-01T10:00:00', { localAsUtc: true })).toBe(utc('2025-01-01T10:00:00Z'));
  });

  it.each(['2025-02-30T10:00:00Z', '2025-13-01T10:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01', 'tomorrow', '2025-01-01T10:00:00[Mars/Olympus]', '2025-01-01 10:00:00Z'])(
    'rejects %j',
    (text) => {
      expect(parseIsoDateTime(text)).toBeNull();
    },
  );

  it('resolves DST gaps forward and overlaps to the earlier offset, like java.time', () => {
    // 02:30 does not exist in Berlin on 2025-03-30; java.time moves it to 03:30 CEST.
    expect(parseIsoDateTime('2025-03-30T02:30:00[Europe/Berlin]')).toBe(utc('2025-03-30T01:30:00Z'));
    // 02:30 happens twice on 2025-10-26; java.time takes the first (CEST, +02:00).
    expect(parseIsoDateTime('2025-10-26T02:30:00[Europe/Berlin]')).toBe(utc('2025-10-26T00:30:00Z'));
  });

  it('splits into wall clock, offset and zone', () => {
    expect(splitIsoDateTime('2025-01-01T10:00+01:00')).toMatchObject({
      local: '2025-01-01T10:00:00',
      offset: '+01:00',
      zone: null,
    });
  });
});

describe('parseRepeatingInterval', () => {
  it('parses a bounded repetition', () => {
    expect(parseRepeatingInterval('R5/PT10S')).toEqual({
      ok: true,
      value: { repetitions: 5, startMs: null, interval: parseIsoDuration('PT10S') },
    });
  });

  it('parses an infinite repetition', () => {
    const parsed = parseRepeatingInterval('R/PT1M');
    expect(parsed.ok && parsed.value.repetitions).toBe(-1);
  });

  it('parses a start date', () => {
    const parsed = parseRepeatingInterval('R3/2025-01-01T00:00:00Z/PT1H');
    expect(parsed).toEqual({
      ok: true,
      value: { repetitions: 3, startMs: utc('2025-01-01T00:00:00Z'), interval: parseIsoDuration('PT1H') },
    });
  });

  it.each([
    ['PT1M', 'Repetition spec must start with R'],
    ['R5', 'No interval given'],
    ['Rx/PT1M', 'Cannot parse repetitions count'],
    ['R5/1M', "Invalid duration '1M'"],
    ['R5/yesterday/PT1M', "Invalid start date-time 'yesterday'"],
  ])('rejects %j with %j', (text, message) => {
    expect(parseRepeatingInterval(text)).toEqual({ ok: false, message });
  });
});
