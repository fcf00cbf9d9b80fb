import { isIP } from 'node:net';

/**
 * Parsers for option values. Flags and env vars arrive as strings, YAML values arrive typed,
 * so every parser accepts both. A failure carries the rule the value broke, phrased to follow
 * the option name: "grpcPort must be …".
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rule: string };

export type ValueParser<T> = (raw: unknown) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (rule: string): Parsed<never> => ({ ok: false, rule });

const INTEGER_TEXT = /^[+-]?\d+$/;

function toInteger(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw === 'string' && INTEGER_TEXT.test(raw.trim())) {
    const n = Number(raw.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

export function integer(min: number, max: number): ValueParser<number> {
  const rule = `must be an integer from ${min} to ${max}`;
  return (raw) => {
    const n = toInteger(raw);
    return n !== undefined && n >= min && n <= max ? ok(n) : fail(rule);
  };
}

/** An integer in range, or the word `auto` (the node chooses, and may change it as it runs). */
export function integerOrAuto(min: number, max: number): ValueParser<number | 'auto'> {
  const rule = `must be auto or an integer from ${min} to ${max}`;
  const asInteger = integer(min, max);
  return (raw) => {
    if (typeof raw === 'string' && raw.trim().toLowerCase() === 'auto') return ok('auto');
    const n = asInteger(raw);
    return n.ok ? n : fail(rule);
  };
}

/** Port 0 is allowed: the OS picks a free port, which the node logs. Tests run many nodes this way. */
export const port: ValueParser<number> = integer(0, 65535);

export function oneOf<const T extends string>(values: readonly T[]): ValueParser<T> {
  const rule = `must be one of ${values.join(', ')}`;
  return (raw) => {
    if (typeof raw !== 'string') return fail(rule);
    const v = raw.trim().toLowerCase();
    return (values as readonly string[]).includes(v) ? ok(v as T) : fail(rule);
  };
}

/** Any string (YAML numbers are taken as written); empty allowed. */
export const anyString: ValueParser<string> = (raw) => {
  if (typeof raw === 'number') return ok(String(raw));
  return typeof raw === 'string' ? ok(raw) : fail('must be a string');
};

export const nonEmptyString: ValueParser<string> = (raw) => {
  if (typeof raw !== 'string' || raw.trim() === '') return fail('must be a non-empty string');
  return ok(raw.trim());
};

// Underscores are not valid in DNS names but Docker Compose service names use them and resolve.
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/;

export const hostAddress: ValueParser<string> = (raw) => {
  if (typeof raw !== 'string') return fail('must be an IP address or host name');
  const v = raw.trim();
  return isIP(v) !== 0 || HOSTNAME.test(v) ? ok(v) : fail('must be an IP address or host name');
};

// Binary multiples, as Zeebe (Spring DataSize) reads "4MB".
const UNITS: Readonly<Record<string, number>> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
const SIZE_TEXT = /^(\d+)\s*([KMG]?B)?$/i;

export function formatByteSize(bytes: number): string {
  for (const unit of ['GB', 'MB', 'KB'] as const) {
    const factor = UNITS[unit]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}B`;
}

export function byteSize(min: number, max: number): ValueParser<number> {
  const range = `from ${formatByteSize(min)} to ${formatByteSize(max)}`;
  const shape = `must be a whole number of bytes, optionally with a KB, MB or GB suffix (e.g. 4MB), ${range}`;
  return (raw) => {
    let bytes: number;
    if (typeof raw === 'number') {
      if (raw < 0) return fail('must not be negative');
      if (!Number.isSafeInteger(raw)) return fail(shape);
      bytes = raw;
    } else if (typeof raw === 'string') {
      const text = raw.trim();
      if (text.startsWith('-')) return fail('must not be negative');
      const m = SIZE_TEXT.exec(text);
      if (!m) return fail(shape);
      bytes = Number(m[1]) * UNITS[(m[2] ?? '').toUpperCase()]!;
    } else {
      return fail(shape);
    }
    return bytes >= min && bytes <= max ? ok(bytes) : fail(`must be ${range}`);
  };
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_TEXT = /^(?:\d+(?:ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+)(ms|s|m|h|d)/g;

/**
 * A duration in milliseconds, written with units (`7d`, `12h`, `1h30m`, `90s`, `500ms`), or
 * `0` / `off` for none. In a flag or env var a bare number other than 0 is refused (seconds or
 * milliseconds would be a guess); a YAML number is milliseconds, as the value is held.
 */
export function duration(max: number): ValueParser<number> {
  const shape = 'must be a duration with units (e.g. 7d, 12h, 1h30m, 90s) or 0/off';
  return (raw) => {
    if (raw === false) return ok(0);
    if (typeof raw === 'number') {
      if (!Number.isSafeInteger(raw) || raw < 0) return fail(shape);
      return raw <= max ? ok(raw) : fail(`must be at most ${formatDuration(max)}`);
    }
    if (typeof raw !== 'string') return fail(shape);
    const text = raw.trim().toLowerCase();
    if (text === '0' || text === 'off') return ok(0);
    if (!DURATION_TEXT.test(text)) return fail(shape);
    let ms = 0;
    for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * DURATION_UNITS[unit!]!;
    return ms <= max ? ok(ms) : fail(`must be at most ${formatDuration(max)}`);
  };
}

/** The shortest way `duration` reads back: whole days, hours, minutes, seconds, else ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return 'off';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const factor = DURATION_UNITS[unit]!;
    if (ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}

/** Renders a raw value for an error message: strings quoted, the rest as JSON. */
export function showValue(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (raw === undefined) return 'nothing';
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

/** Flags may be given bare (`--controller-only`), which arrives as `true`. */
export const bool: ValueParser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return ok(raw);
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes') return ok(true);
    if (v === 'false' || v === '0' || v === 'no') return ok(false);
  }
  return fail('must be true or false');
};

const URL_LIST_RULE = 'must be a comma-separated list of http:// or https:// URLs';

/** A comma-separated list (or a YAML list) of http(s) URLs; empty means none. */
export const urlList: ValueParser<readonly string[]> = (raw) => {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (!items) return fail(URL_LIST_RULE);
  const urls: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return fail(URL_LIST_RULE);
    const v = item.trim();
    if (v === '') continue;
    if (!isHttpUrl(v)) return fail(`must list http:// or https:// URLs, not "${v}"`);
    urls.push(v);
  }
  return ok(urls);
};

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const URL_GROUPS_RULE = 'must be etcd clusters separated by ";", each a comma-separated list of http:// or https:// URLs';

/**
 * Several etcd clusters, each a list of client URLs: `a1,a2;b1` in a flag or env var; in
 * YAML the same string, or a list whose items are clusters (a string `a1,a2` or a list of
 * URLs). Empty clusters (a trailing `;`) are skipped. One URL in two clusters is refused:
 * it cannot belong to both, so the grouping is a typo.
 */
export const urlGroups: ValueParser<readonly (readonly string[])[]> = (raw) => {
  const groups = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(';') : null;
  if (!groups) return fail(URL_GROUPS_RULE);
  const result: (readonly string[])[] = [];
  const seen = new Map<string, number>();
  for (const group of groups) {
    if (typeof group !== 'string' && !Array.isArray(group)) return fail(URL_GROUPS_RULE);
    const parsed = urlList(group);
    if (!parsed.ok) return parsed;
    if (parsed.value.length === 0) continue;
    for (const url of parsed.value) {
      const normal = new URL(url).href;
      const other = seen.get(normal);
      if (other !== undefined && other !== result.length) {
        return fail(`must list each URL in one etcd cluster only, but "${url}" is in clusters ${other + 1} and ${result.length + 1}`);
      }
      seen.set(normal, result.length);
    }
    result.push(parsed.value);
  }
  return ok(result);
};

/** A file path, trimmed; empty means none. Relative paths are resolved when the file is read. */
export const optionalPath: ValueParser<string> = (raw) => {
  if (typeof raw !== 'string') return fail('must be a file path');
  return ok(raw.trim());
};

/** Like hostAddress, but empty is allowed (meaning: derive it). */
export const optionalHost: ValueParser<string> = (raw) => {
  if (raw === '' ) return ok('');
  return hostAddress(raw);
};

/** An http(s) URL, or empty for none. */
export const optionalUrl: ValueParser<string> = (raw) => {
  if (raw === '' || raw === undefined) return ok('');
  if (typeof raw !== 'string' || !isHttpUrl(raw.trim())) return fail('must be an http:// or https:// URL');
  return ok(raw.trim());
};

/**
 * A token claim's name, or empty: taken literally (`https://example.com/groups` is one claim),
 * or a path into nested claims when it starts with `$.` (`$.realm_access.roles`).
 */
export const claimName: ValueParser<string> = (raw) => {
  if (raw === '') return ok('');
  if (typeof raw !== 'string' || !/^\S{1,256}$/.test(raw.trim())) return fail('must be a claim name (no spaces, at most 256 characters)');
  return ok(raw.trim());
};
