/** Camunda's temporal extras: `last day of month` and `date and time(date, timezone)`. */
import { daysInMonth } from '../../values/calendar.js';
import type { FeelFunction } from '../../values/function.js';
import { FeelDate, FeelDateTime, FeelTime, dateTimeFromLocal } from '../../values/temporal.js';
import { isValidZone, offsetAtUtc } from '../../values/zones.js';
import { builtin, fail } from '../define.js';
import { widened } from './overloads.js';

function lastDayOfMonth(d: FeelDate): FeelDate {
  return new FeelDate(d.year, d.month, daysInMonth(d.year, d.month));
}

/** Java's ZoneId.of: `Z`, an offset (`+01`, `+01:00`, `+0100`, `-05:30:15`) or a region id. */
const OFFSET = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

function zoneOf(text: string): { offset: number; zone: null } | { offset: null; zone: string } {
  if (text === 'Z') return { offset: 0, zone: null };
  const m = OFFSET.exec(text);
  if (m !== null) {
    const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    if (Number(m[3] ?? 0) > 59 || Number(m[4] ?? 0) > 59 || seconds > 18 * 3600) fail(`invalid time zone '${text}'`);
    return { offset: m[1] === '-' ? -seconds : seconds, zone: null };
  }
  if (!isValidZone(text)) fail(`invalid time zone '${text}'`);
  return { offset: null, zone: text };
}

/**
 * A zoned date-time moves to the same instant in `zone`; a local one keeps its wall-clock time
 * and gets the zone (FEEL-Scala's atZone: the docs' example that shifts a local value reflects
 * the server's default zone, which Zen does not have).
 */
function inZone(dt: FeelDateTime, zoneText: string): FeelDateTime {
  const target = zoneOf(zoneText);
  const t = dt.time;
  if (!dt.zoned) return new FeelDateTime(dt.date, new FeelTime(t.hour, t.minute, t.second, t.nanos, target.offset, target.zone));
  const instant = dt.instant;
  const offset = target.zone === null ? target.offset : offsetAtUtc(target.zone, instant.times(1000).floor().toNumber());
  return dateTimeFromLocal(instant.plus(offset), new FeelTime(0, 0, 0, 0, target.offset, target.zone));
}

export function temporalFunctions(): FeelFunction[] {
  return [
    builtin('last day of month', [
      ['date: date', ([d]: [FeelDate]) => lastDayOfMonth(d)],
      ['date: date and time', ([dt]: [FeelDateTime]) => lastDayOfMonth(dt.date)],
    ]),
    widened('date and time', builtin('date and time', [['date: date and time, timezone: string', ([dt, zone]) => inZone(dt, zone)]])),
  ];
}
