/** Date and time functions (DMN 1.5, 10.3.4.7); now() and today() read the evaluation's clock. */
import { dayOfYear, isoWeekOfYear, isoWeekday } from '../values/calendar.js';
import { FeelDecimal } from '../values/number.js';
import { FeelDate, FeelDateTime, dateTimeFromLocal } from '../values/temporal.js';
import { builtin, register, type Registry } from './define.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function dateOf(value: FeelDate | FeelDateTime): FeelDate {
  return value instanceof FeelDateTime ? value.date : value;
}

function onDates(name: string, f: (d: FeelDate) => ReturnType<Parameters<typeof builtin>[1][number][1]>): ReturnType<typeof builtin> {
  return builtin(name, [
    ['date: date', ([d]) => f(dateOf(d))],
    ['date: date and time', ([d]) => f(dateOf(d))],
  ]);
}

export function registerDateTime(r: Registry): void {
  register(
    r,
    onDates('day of year', (d) => new FeelDecimal(dayOfYear(d.year, d.month, d.day))),
    onDates('day of week', (d) => WEEKDAYS[isoWeekday(d.epochDay) - 1]!),
    onDates('month of year', (d) => MONTHS[d.month - 1]!),
    onDates('week of year', (d) => new FeelDecimal(isoWeekOfYear(d.year, d.month, d.day))),
    builtin('now', [['', (_args, run) => dateTimeFromLocal(new FeelDecimal(run.nowMs).div(1000), { offset: 0, zone: null } as never)]]),
    builtin('today', [['', (_args, run) => FeelDate.fromEpochDay(Math.floor(run.nowMs / 86_400_000))]]),
  );
}
