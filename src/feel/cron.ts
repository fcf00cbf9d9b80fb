/**
 * Cron timer cycles as Zeebe takes them (Spring's six fields: second minute hour day-of-month
 * month day-of-week), evaluated in UTC. Fields take `*`, `?`, numbers, names (JAN, MON),
 * ranges, steps and lists; day-of-month also `L`, `L-n`, `nW` and `LW`; day-of-week `nL` (the
 * last such weekday of the month) and `n#k` (the k-th). Both day fields must match, as in Spring.
 * Macros: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.
 */

export interface CronSchedule {
  readonly source: string;
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** Whether a day (UTC) matches both day fields. */
  matchesDay(year: number, month: number, day: number): boolean;
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** How far ahead a schedule is searched: a leap day on a Monday, say, is years away. */
const SEARCH_YEARS = 30;

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseCron(text: string): Parsed<CronSchedule> {
  const source = text.trim();
  const expanded = MACROS[source.toLowerCase()] ?? source;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 6) return { ok: false, message: `a cron expression has 6 fields (second minute hour day-of-month month day-of-week), but '${source}' has ${fields.length}` };
  const [sec, min, hour, dom, month, dow] = fields as [string, string, string, string, string, string];
  const seconds = parseField(sec, 0, 59, 'second');
  const minutes = parseField(min, 0, 59, 'minute');
  const hours = parseField(hour, 0, 23, 'hour');
  const months = parseField(month, 1, 12, 'month', MONTHS, 1);
  for (const parsed of [seconds, minutes, hours, months]) if (!parsed.ok) return parsed;
  const dayOfMonth = parseDayOfMonth(dom);
  if (!dayOfMonth.ok) return dayOfMonth;
  const dayOfWeek = parseDayOfWeek(dow);
  if (!dayOfWeek.ok) return dayOfWeek;
  const domMatch = dayOfMonth.value;
  const dowMatch = dayOfWeek.value;
  return {
    ok: true,
    value: {
      source,
      seconds: (seconds as { value: Set<number> }).value,
      minutes: (minutes as { value: Set<number> }).value,
      hours: (hours as { value: Set<number> }).value,
      months: (months as { value: Set<number> }).value,
      matchesDay: (year, m, day) => domMatch(year, m, day) && dowMatch(year, m, day),
    },
  };
}

/** The first time strictly after `afterMs` (UTC, whole seconds) the schedule fires; null if none within the search window. */
export function nextCronTime(schedule: CronSchedule, afterMs: number): number | null {
  const start = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
  const startDay = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  const startSecondOfDay = start.getUTCHours() * 3600 + start.getUTCMinutes() * 60 + start.getUTCSeconds();
  const lastDay = startDay + SEARCH_YEARS * 366 * 86_400_000;
  for (let dayMs = startDay; dayMs <= lastDay; dayMs += 86_400_000) {
    const day = new Date(dayMs);
    const year = day.getUTCFullYear();
    const month = day.getUTCMonth() + 1;
    if (!schedule.months.has(month)) {
      // Skip to the first of the next month.
      dayMs = Date.UTC(year, month, 1) - 86_400_000;
      continue;
    }
    if (!schedule.matchesDay(year, month, day.getUTCDate())) continue;
    const from = dayMs === startDay ? startSecondOfDay : 0;
    const second = firstSecondOfDay(schedule, from);
    if (second !== null) return dayMs + second * 1000;
  }
  return null;
}

function firstSecondOfDay(schedule: CronSchedule, from: number): number | null {
  for (let h = Math.floor(from / 3600); h < 24; h++) {
    if (!schedule.hours.has(h)) continue;
    const minuteFrom = h === Math.floor(from / 3600) ? Math.floor((from % 3600) / 60) : 0;
    for (let m = minuteFrom; m < 60; m++) {
      if (!schedule.minutes.has(m)) continue;
      const secondFrom = h === Math.floor(from / 3600) && m === Math.floor((from % 3600) / 60) ? from % 60 : 0;
      for (let s = secondFrom; s < 60; s++) if (schedule.seconds.has(s)) return h * 3600 + m * 60 + s;
    }
  }
  return null;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** `*`, `?`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n` and lists of them; `names` map to `nameBase`, `nameBase + 1`, … */
function parseField(text: string, min: number, max: number, what: string, names?: readonly string[], nameBase = 0): Parsed<Set<number>> {
  const values = new Set<number>();
  const number = (token: string): number | null => {
    const named = names?.indexOf(token.toUpperCase()) ?? -1;
    if (named >= 0) return named + nameBase;
    return /^\d+$/.test(token) ? Number(token) : null;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : NaN;
    if (!(step >= 1)) return { ok: false, message: `invalid step '${stepText}' in the ${what} field '${text}'` };
    let from: number | null;
    let to: number | null;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      from = number(a);
      to = number(b);
    } else {
      from = number(range);
      to = stepText === undefined ? from : max;
    }
    if (from === null || to === null || from < min || to > max || from > to) return { ok: false, message: `invalid ${what} field '${text}' (values ${min}-${max})` };
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { ok: true, value: values };
}

type DayMatch = (year: number, month: number, day: number) => boolean;

function parseDayOfMonth(text: string): Parsed<DayMatch> {
  const upper = text.toUpperCase();
  if (upper === 'L') return { ok: true, value: (y, m, d) => d === daysIn(y, m) };
  const lastMinus = /^L-(\d+)$/.exec(upper);
  if (lastMinus) {
    const offset = Number(lastMinus[1]);
    return { ok: true, value: (y, m, d) => d === Math.max(1, daysIn(y, m) - offset) };
  }
  if (upper === 'LW') return { ok: true, value: (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m)) };
  const nearest = /^(\d+)W$/.exec(upper);
  if (nearest) {
    const target = Number(nearest[1]);
    if (target < 1 || target > 31) return { ok: false, message: `invalid day-of-month field '${text}'` };
    return { ok: true, value: (y, m, d) => target <= daysIn(y, m) && d === nearestWeekday(y, m, target) };
  }
  const days = parseField(text, 1, 31, 'day-of-month');
  if (!days.ok) return days;
  return { ok: true, value: (_y, _m, d) => days.value.has(d) };
}

/** The weekday nearest to `day` within its month (Quartz and Spring's `W`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const wd = weekday(year, month, day);
  if (wd === 6) return day === 1 ? 3 : day - 1;
  if (wd === 0) return day === daysIn(year, month) ? day - 2 : day + 1;
  return day;
}

function parseDayOfWeek(text: string): Parsed<DayMatch> {
  const upper = text.toUpperCase();
  const dayNumber = (token: string): number | null => {
    const named = DAYS.indexOf(token);
    if (named >= 0) return named;
    return /^[0-7]$/.test(token) ? Number(token) % 7 : null;
  };
  const last = /^([A-Z0-7]+)L$/.exec(upper);
  if (last) {
    const wd = dayNumber(last[1]!);
    if (wd === null) return { ok: false, message: `invalid day-of-week field '${text}'` };
    return { ok: true, value: (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysIn(y, m) };
  }
  const nth = /^([A-Z0-7]+)#([1-5])$/.exec(upper);
  if (nth) {
    const wd = dayNumber(nth[1]!);
    if (wd === null) return { ok: false, message: `invalid day-of-week field '${text}'` };
    const k = Number(nth[2]);
    return { ok: true, value: (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === k };
  }
  // 0 and 7 are both Sunday; names map to 0-6.
  const days = parseField(upper, 0, 7, 'day-of-week', DAYS, 0);
  if (!days.ok) return days;
  const set = new Set([...days.value].map((v) => v % 7));
  return { ok: true, value: (y, m, d) => set.has(weekday(y, m, d)) };
}
