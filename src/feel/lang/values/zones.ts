/**
 * Time zone offsets through `Intl`. Instants outside the JS `Date` range use the offset of the
 * nearest representable year (zone rules are not defined that far out anyway).
 */
const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(zone: string): Intl.DateTimeFormat | null {
  let format = formats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      format = null;
    }
    formats.set(zone, format);
  }
  return format;
}

export function isValidZone(zone: string): boolean {
  // Intl accepts offsets such as "+01:00" as zone names; FEEL's @zone names are region ids.
  return /^[A-Za-z]/.test(zone) && formatFor(zone) !== null;
}

const MAX_MS = 8.64e15 - 86_400_000 * 2;

/** The zone's UTC offset in seconds at a UTC instant given in milliseconds. */
export function offsetAtUtc(zone: string, utcMs: number): number {
  const format = formatFor(zone);
  if (format === null) return 0;
  const ms = Math.max(-MAX_MS, Math.min(MAX_MS, utcMs));
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(wholeSecond))) parts[part.type] = part.value;
  let year = Number(parts['year']);
  if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
  const local = Date.UTC(0, Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  const asUtc = new Date(local);
  asUtc.setUTCFullYear(year);
  return Math.round((asUtc.getTime() - wholeSecond) / 1000);
}

/** The offset in seconds that the zone applies to a local wall time (given as ms since epoch). */
export function offsetForLocal(zone: string, localMs: number): number {
  const first = offsetAtUtc(zone, localMs);
  const second = offsetAtUtc(zone, localMs - first * 1000);
  return second;
}
