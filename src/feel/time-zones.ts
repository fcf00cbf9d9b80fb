/**
 * Time-zone arithmetic on top of Intl. We avoid a tz library: Node's bundled ICU data is fixed
 * per Node build, so results are deterministic for a given binary, which is what replay needs.
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
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
      formatter = null;
    }
    // Bounded by the number of distinct zone ids in use; a hostile flood of ids is cut off.
    if (formatters.size < 1000) formatters.set(zone, formatter);
  }
  return formatter;
}

/** Parses a fixed offset (`Z`, `+01:00`, `-0530`, `+01`, `+01:00:30`) to milliseconds, or null. */
export function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const match = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = match[3] === undefined ? 0 : Number(match[3]);
  const seconds = match[4] === undefined ? 0 : Number(match[4]);
  if (hours > 18 || minutes > 59 || seconds > 59) return null;
  const total = (hours * 3600 + minutes * 60 + seconds) * 1000;
  return match[1] === '-' ? -total : total;
}

/** True for a fixed offset or an IANA zone id Intl knows (`Europe/Berlin`, `UTC`). */
export function isValidZone(zone: string): boolean {
  return resolveZone(zone) !== null;
}

type Zone = { readonly fixedOffsetMs: number } | { readonly formatter: Intl.DateTimeFormat };

function resolveZone(zone: string): Zone | null {
  const fixed = parseOffset(zone);
  if (fixed !== null) return { fixedOffsetMs: fixed };
  const prefixed = /^(?:UTC|GMT|UT)([+-].+)$/.exec(zone);
  if (prefixed) {
    const offset = parseOffset(prefixed[1]!);
    return offset === null ? null : { fixedOffsetMs: offset };
  }
  const formatter = formatterFor(zone);
  return formatter ? { formatter } : null;
}

function offsetFromFormatter(formatter: Intl.DateTimeFormat, epochMs: number): number {
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  const parts = formatter.formatToParts(new Date(wholeSeconds));
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = field('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(year, field('month') - 1, field('day'));
  wallClock.setUTCHours(field('hour'), field('minute'), field('second'), 0);
  return wallClock.getTime() - wholeSeconds;
}

/** The zone's UTC offset at the given instant, in milliseconds; null for an unknown zone. */
export function zoneOffsetMs(zone: string, epochMs: number): number | null {
  const resolved = resolveZone(zone);
  if (!resolved) return null;
  if ('fixedOffsetMs' in resolved) return resolved.fixedOffsetMs;
  return offsetFromFormatter(resolved.formatter, epochMs);
}

/**
 * Converts a wall-clock time in `zone` to an instant. `localAsUtcMs` is the wall-clock time read
 * as if it were UTC. Gaps and overlaps resolve like java.time's `ZonedDateTime.ofLocal`: a time
 * in a gap moves forward by the gap's length, a time in an overlap takes the earlier offset.
 */
export function localToEpochMs(localAsUtcMs: number, zone: string): number | null {
  const resolved = resolveZone(zone);
  if (!resolved) return null;
  if ('fixedOffsetMs' in resolved) return localAsUtcMs - resolved.fixedOffsetMs;
  const offsetAt = (epochMs: number): number => offsetFromFormatter(resolved.formatter, epochMs);
  const before = offsetAt(localAsUtcMs - MS_PER_DAY);
  const after = offsetAt(localAsUtcMs + MS_PER_DAY);
  const valid = [before, after].filter((offset) => offsetAt(localAsUtcMs - offset) === offset);
  if (valid.length > 0) return localAsUtcMs - Math.max(...valid);
  return localAsUtcMs - before;
}

export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(offsetMs);
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / MS_PER_MINUTE);
  const seconds = Math.floor((abs % MS_PER_MINUTE) / 1000);
  const hhmm = `${sign}${pad2(hours)}:${pad2(minutes)}`;
  return seconds === 0 ? hhmm : `${hhmm}:${pad2(seconds)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
