/**
 * FEEL's date, time and date-and-time values. Fields are kept as given (no Date objects), so
 * years far outside the JS `Date` range work; instants are computed as day counts (calendar.ts).
 * A time carries either no zone, a fixed offset (seconds), or a zone id (offset resolved through
 * Intl on the date it is used with).
 */
import { civilFromDays, daysFromCivil, daysInMonth } from './calendar.js';
import { FeelDecimal, type FeelNumber } from './number.js';
import { isValidZone, offsetForLocal } from './zones.js';

export class FeelDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}
  get epochDay(): number {
    return daysFromCivil(this.year, this.month, this.day);
  }
  static fromEpochDay(days: number): FeelDate {
    const c = civilFromDays(days);
    return new FeelDate(c.year, c.month, c.day);
  }
  toString(): string {
    return dateText(this);
  }
}

export class FeelTime {
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    /** Fraction of the second in nanoseconds. */
    readonly nanos: number,
    /** Fixed UTC offset in seconds, or null (also null when `zone` is set). */
    readonly offset: number | null,
    readonly zone: string | null,
  ) {}
  get secondOfDay(): number {
    return this.hour * 3600 + this.minute * 60 + this.second;
  }
  get zoned(): boolean {
    return this.offset !== null || this.zone !== null;
  }
  toString(): string {
    return timeText(this);
  }
}

export class FeelDateTime {
  constructor(
    readonly date: FeelDate,
    readonly time: FeelTime,
  ) {}
  get zoned(): boolean {
    return this.time.zoned;
  }
  /** Local seconds since the epoch (the wall clock read as if it were UTC). */
  get localSeconds(): number {
    return this.date.epochDay * 86400 + this.time.secondOfDay;
  }
  /** UTC offset in seconds in force at this date-time; 0 when unzoned. */
  get offsetSeconds(): number {
    const t = this.time;
    if (t.offset !== null) return t.offset;
    if (t.zone !== null) return offsetForLocal(t.zone, this.localSeconds * 1000);
    return 0;
  }
  /** Seconds since the epoch as an exact decimal (UTC for zoned values, local otherwise). */
  get instant(): FeelNumber {
    const whole = new FeelDecimal(this.date.epochDay).times(86400).plus(this.time.secondOfDay - this.offsetSeconds);
    return this.time.nanos === 0 ? whole : whole.plus(new FeelDecimal(this.time.nanos).div(1e9));
  }
  toString(): string {
    return `${dateText(this.date)}T${timeText(this.time)}`;
  }
}

export type Temporal = FeelDate | FeelTime | FeelDateTime;

/** A date-time from local epoch seconds (may carry a fraction) and the zone of a model value. */
export function dateTimeFromLocal(local: FeelNumber, like: FeelTime | null): FeelDateTime {
  const seconds = local.floor();
  const nanos = local.minus(seconds).times(1e9).round().toNumber();
  const days = seconds.div(86400).floor();
  const sod = seconds.minus(days.times(86400)).toNumber();
  const time = new FeelTime(Math.floor(sod / 3600), Math.floor(sod / 60) % 60, sod % 60, nanos, like?.offset ?? null, like?.zone ?? null);
  return new FeelDateTime(FeelDate.fromEpochDay(days.toNumber()), time);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dateText(d: FeelDate): string {
  const year = d.year < 0 ? `-${pad(-d.year, 4)}` : pad(d.year, 4);
  return `${year}-${pad(d.month)}-${pad(d.day)}`;
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  return '.' + pad(nanos, 9).replace(/0+$/, '');
}

export function offsetText(offset: number): string {
  if (offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const seconds = abs % 60;
  return `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}${seconds ? ':' + pad(seconds) : ''}`;
}

function timeText(t: FeelTime): string {
  let text = `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${fraction(t.nanos)}`;
  if (t.zone !== null) text += `@${t.zone}`;
  else if (t.offset !== null) text += offsetText(t.offset);
  return text;
}

// ---- parsing ----

const DATE = /^(-?(?:[1-9]\d{4,8}|\d{4}))-(\d\d)-(\d\d)$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:(Z|z)|([+-])(\d\d):(\d\d)(?::(\d\d))?|@(.+))?$/;

export function parseDate(text: string): FeelDate | null {
  const m = DATE.exec(text);
  if (!m) return null;
  return dateFrom(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function dateFrom(year: number, month: number, day: number): FeelDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (Math.abs(year) > 999_999_999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return new FeelDate(year, month, day);
}

export function parseTime(text: string): FeelTime | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const nanos = m[4] ? Number((m[4] + '00000000').slice(0, 9)) : 0;
  let offset: number | null = null;
  let zone: string | null = null;
  if (m[5]) offset = 0;
  else if (m[6]) {
    const hours = Number(m[7]);
    const minutes = Number(m[8]);
    const secs = m[9] ? Number(m[9]) : 0;
    if (hours > 18 || minutes > 59 || secs > 59) return null;
    offset = (m[6] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60 + secs);
  } else if (m[10]) {
    zone = m[10];
    if (!isValidZone(zone)) return null;
  }
  if (hour === 24 && minute === 0 && second === 0 && nanos === 0) return new FeelTime(0, 0, 0, 0, offset, zone);
  if (hour > 23 || minute > 59 || second > 59) return null;
  return new FeelTime(hour, minute, second, nanos, offset, zone);
}

export function parseDateTime(text: string): FeelDateTime | null {
  const t = text.indexOf('T');
  if (t < 0) {
    const date = parseDate(text);
    return date === null ? null : new FeelDateTime(date, new FeelTime(0, 0, 0, 0, null, null));
  }
  const datePart = text.slice(0, t);
  const timePart = text.slice(t + 1);
  const date = parseDate(datePart);
  if (date === null) return null;
  if (/^24:00:00(\.0+)?(?![\d.])/.test(timePart)) {
    const time = parseTime(timePart);
    if (time === null) return null;
    return new FeelDateTime(FeelDate.fromEpochDay(date.epochDay + 1), time);
  }
  const time = parseTime(timePart);
  return time === null ? null : new FeelDateTime(date, time);
}

export function isTemporal(value: unknown): value is Temporal {
  return value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDateTime;
}
