import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from '../../../src/feel/cron.js';

const at = (iso: string) => Date.parse(iso);
function next(expression: string, after: string, count = 1): string[] {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.message);
  const out: string[] = [];
  let t = at(after);
  for (let i = 0; i < count; i++) {
    const n = nextCronTime(parsed.value, t);
    if (n === null) break;
    out.push(new Date(n).toISOString());
    t = n;
  }
  return out;
}

describe('cron cycles (Spring fields, UTC)', () => {
  it('steps through seconds, minutes and hours', () => {
    expect(next('*/15 * * * * *', '2026-01-01T00:00:07Z', 3)).toEqual(['2026-01-01T00:00:15.000Z', '2026-01-01T00:00:30.000Z', '2026-01-01T00:00:45.000Z']);
    expect(next('0 0 9-17 * * MON-FRI', '2026-12-04T16:30:00Z', 3)).toEqual(['2026-12-04T17:00:00.000Z', '2026-12-07T09:00:00.000Z', '2026-12-07T10:00:00.000Z']);
    expect(next('0 30 12 * * *', '2026-12-06T12:30:00Z')).toEqual(['2026-12-07T12:30:00.000Z']);
  });

  it('takes names, lists, macros and both Sunday numbers', () => {
    expect(next('0 0 0 1 JAN,JUL *', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(next('@daily', '2026-12-06T10:00:00Z')).toEqual(['2026-12-07T00:00:00.000Z']);
    expect(next('@hourly', '2026-12-06T10:00:00Z')).toEqual(['2026-12-06T11:00:00.000Z']);
    expect(next('0 0 0 * * 7', '2026-12-01T00:00:00Z')).toEqual(['2026-12-06T00:00:00.000Z']);
    expect(next('0 0 0 * * SUN', '2026-12-01T00:00:00Z')).toEqual(['2026-12-06T00:00:00.000Z']);
  });

  it('knows the last day, the nearest weekday, the last and the n-th weekday of a month', () => {
    expect(next('0 0 0 L * *', '2027-02-01T00:00:00Z', 2)).toEqual(['2027-02-28T00:00:00.000Z', '2027-03-31T00:00:00.000Z']);
    // 2026-08-15 is a Saturday: the nearest weekday is Friday the 14th.
    expect(next('0 0 0 15W * *', '2026-08-01T00:00:00Z')).toEqual(['2026-08-14T00:00:00.000Z']);
    // The last Friday of December 2026 is the 25th; the second Tuesday the 8th.
    expect(next('0 0 0 * * 5L', '2026-12-01T00:00:00Z')).toEqual(['2026-12-25T00:00:00.000Z']);
    expect(next('0 0 0 ? * TUE#2', '2026-12-01T00:00:00Z')).toEqual(['2026-12-08T00:00:00.000Z']);
    // Both day fields must match: the 13th that is a Friday.
    expect(next('0 0 0 13 * FRI', '2026-01-01T00:00:00Z')).toEqual(['2026-02-13T00:00:00.000Z']);
  });

  it('refuses malformed expressions with a reason', () => {
    for (const bad of ['* * * * *', '61 * * * * *', '0 0 25 * * *', '0 0 0 * * FUNDAY', '0 0 0 * 13 *', '*/0 * * * * *']) {
      const parsed = parseCron(bad);
      expect(parsed.ok, bad).toBe(false);
    }
    expect(parseCron('0 0 * * *')).toMatchObject({ ok: false, message: expect.stringContaining('has 5') });
  });

  it('finds nothing for a day that never comes', () => {
    const parsed = parseCron('0 0 0 30 FEB *');
    expect(parsed.ok && nextCronTime(parsed.value, at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});
