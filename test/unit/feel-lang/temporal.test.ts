import { describe, expect, it } from 'vitest';
import { show, type Case } from './support.js';

const cases: Case[] = [
  ['date("2020-03-01") - date("2020-01-01")', 'P60D (days and time duration)'],
  ['date("2012-01-31") + duration("P1M")', '2012-02-29 (date)'],
  ['date("999999999-12-30") + duration("P1D")', '999999999-12-31 (date)'],
  ['date("-999999999-01-01").year', '-999999999 (number)'],
  ['date(2020, 2, 30)', 'null'],
  ['date("2019-02-29")', 'null'],
  ['@"2020-01-01T10:00:00@Europe/Paris" - @"2020-01-01T10:00:00Z"', '-PT1H (days and time duration)'],
  ['@"2021-01-02T10:10:10+01:00" - @"2021-01-01"', 'P1DT9H10M10S (days and time duration)'],
  ['@"2021-01-02T10:10:10" - @"2021-01-01T10:10:10+02:00"', 'null'],
  ['time("10:30:00") + duration("PT14H")', '00:30:00 (time)'],
  ['time("10:30:00+05:00").time offset', 'PT5H (days and time duration)'],
  ['time(12, 0, 0, null)', '12:00:00 (time)'],
  ['date and time("2020-01-01T24:00:00")', '2020-01-02T00:00:00 (date and time)'],
  ['date and time(date("2020-01-01"), time("10:00:00Z"))', '2020-01-01T10:00:00Z (date and time)'],
  ['@"P1Y2M" + @"P1M"', 'P1Y3M (years and months duration)'],
  ['duration("P1DT2H") * 2', 'P2DT4H (days and time duration)'],
  ['duration("P1D") / duration("PT12H")', '2 (number)'],
  ['duration("PT0.S")', 'PT0S (days and time duration)'],
  ['duration("P1Y1D")', 'null'],
  ['years and months duration(date("2011-12-22"), date("2013-08-24"))', 'P1Y8M (years and months duration)'],
  ['day of week(date("2025-01-15"))', 'Wednesday (string)'],
  ['week of year(date("2021-01-03"))', '53 (number)'],
  ['month of year(date("2025-01-15"))', 'January (string)'],
  ['day of year(date("2024-12-31"))', '366 (number)'],
  ['today()', '2025-01-15 (date)'],
  ['now()', '2025-01-15T12:30:00Z (date and time)'],
  ['date("2020-01-01") < date("2020-01-02")', 'true (boolean)'],
  ['time("10:00:00") < time("10:00:00Z")', 'null'],
];

describe('FEEL temporals and durations', () => {
  it.each(cases)('%s = %s', (source, expected) => {
    expect(show(source)).toBe(expected);
  });
});
