/**
 * FEEL's two duration types: years-and-months (a whole number of months) and days-and-time (an
 * exact decimal number of seconds, so fractions down to nanoseconds and very long spans are exact).
 */
import { FeelDecimal, type FeelNumber } from './number.js';

export class YearsMonthsDuration {
  constructor(readonly months: number) {}
  get years(): number {
    return Math.trunc(this.months / 12);
  }
  toString(): string {
    const abs = Math.abs(this.months);
    const sign = this.months < 0 ? '-' : '';
    const y = Math.floor(abs / 12);
    const m = abs % 12;
    if (abs === 0) return 'P0M';
    return `${sign}P${y ? y + 'Y' : ''}${m ? m + 'M' : ''}`;
  }
}

export class DaysTimeDuration {
  constructor(readonly seconds: FeelNumber) {}
  static ofSeconds(seconds: number | FeelNumber): DaysTimeDuration {
    return new DaysTimeDuration(new FeelDecimal(seconds));
  }
  private part(divisor: number, modulo: number | null): number {
    const whole = this.seconds.abs().div(divisor).floor();
    const value = modulo === null ? whole : whole.mod(modulo);
    return (this.seconds.isNegative() ? -1 : 1) * value.toNumber() || 0;
  }
  get days(): number {
    return this.part(86400, null);
  }
  get hours(): number {
    return this.part(3600, 24);
  }
  get minutes(): number {
    return this.part(60, 60);
  }
  /** Seconds within the minute, with the fraction. */
  get secondsPart(): FeelNumber {
    const abs = this.seconds.abs();
    const within = abs.minus(abs.div(60).floor().times(60));
    return this.seconds.isNegative() ? within.neg() : within;
  }
  toString(): string {
    if (this.seconds.isZero()) return 'PT0S';
    const sign = this.seconds.isNegative() ? '-' : '';
    const d = Math.abs(this.days);
    const h = Math.abs(this.hours);
    const m = Math.abs(this.minutes);
    const s = this.secondsPart.abs();
    let text = `${sign}P${d ? d + 'D' : ''}`;
    if (h || m || !s.isZero()) text += `T${h ? h + 'H' : ''}${m ? m + 'M' : ''}${s.isZero() ? '' : s.toFixed() + 'S'}`;
    return text;
  }
}

export type Duration = YearsMonthsDuration | DaysTimeDuration;

const DURATION = /^(-)?P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?)S)?)?$/;

export function parseDuration(text: string): Duration | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const sign = m[1] ? -1 : 1;
  const hasYm = m[2] !== undefined || m[3] !== undefined;
  const hasDt = m[4] !== undefined || m[5] !== undefined || m[6] !== undefined || m[7] !== undefined;
  if (hasYm && !hasDt) return new YearsMonthsDuration(sign * (Number(m[2] ?? 0) * 12 + Number(m[3] ?? 0)) || 0);
  if (hasYm) return null;
  const seconds = new FeelDecimal(m[4] ?? 0)
    .times(86400)
    .plus(new FeelDecimal(m[5] ?? 0).times(3600))
    .plus(new FeelDecimal(m[6] ?? 0).times(60))
    .plus(new FeelDecimal(m[7] ?? 0));
  return new DaysTimeDuration(sign < 0 ? seconds.neg() : seconds);
}

export function isDuration(value: unknown): value is Duration {
  return value instanceof YearsMonthsDuration || value instanceof DaysTimeDuration;
}
