/**
 * JSON for variables that keeps int64 values exact. Zeebe's documents are MessagePack with
 * 64-bit integers, and clients put keys and ids beyond 2^53 into variables; JSON.parse would
 * round them. Such integers are read as bigint here and written back as plain JSON numbers.
 * FEEL works on doubles: its contexts get them as numbers (`withoutBigInts`).
 */

/** Marks an integer literal rewritten as a string while parsing (a NUL can only be escaped in JSON). */
const MARK = '\u0000zen-int64:';
/** The same mark as it is written inside JSON text. */
const MARK_IN_JSON = '\\u0000zen-int64:';
const LONG_DIGIT_RUN = /\d{16}/;

/** JSON.parse, except that integers beyond Number.MAX_SAFE_INTEGER come back as bigint. */
export function parseJson(text: string): unknown {
  const plain: unknown = JSON.parse(text);
  // Fast path: no run of 16 digits, no integer beyond 2^53 (and malformed text has thrown above).
  if (!LONG_DIGIT_RUN.test(text) || text.includes(MARK_IN_JSON)) return plain;
  const rewritten = markLargeIntegers(text);
  if (rewritten === null) return plain;
  return JSON.parse(rewritten, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value,
  );
}

/** The text with every unsafe integer literal outside strings quoted and marked; null when there is none. */
function markLargeIntegers(text: string): string | null {
  let out = '';
  let copied = 0;
  let inString = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 2;
      else {
        if (c === 0x22) inString = false;
        i++;
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
      i++;
      continue;
    }
    if (c === 0x2d || isDigit(c)) {
      let end = i + 1;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      const next = text[end];
      if (next === '.' || next === 'e' || next === 'E') {
        // A fraction or exponent: a double, whatever its size.
        while (end < text.length && /[0-9.eE+-]/.test(text[end]!)) end++;
      } else {
        const literal = text.slice(i, end);
        if (!Number.isSafeInteger(Number(literal))) {
          out += `${text.slice(copied, i)}"${MARK_IN_JSON}${literal}"`;
          copied = end;
        }
      }
      i = end;
      continue;
    }
    i++;
  }
  return copied === 0 ? null : out + text.slice(copied);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** JSON.stringify that writes bigint as a plain JSON number; `undefined` becomes `null`. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    if (!(err instanceof TypeError) || !/BigInt/i.test(err.message)) throw err;
    return write(value) ?? 'null';
  }
}

function write(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const members: string[] = [];
  for (const [name, member] of Object.entries(value)) {
    const encoded = write(member);
    if (encoded !== undefined) members.push(`${JSON.stringify(name)}:${encoded}`);
  }
  return `{${members.join(',')}}`;
}

/** The value with every bigint turned into a (possibly rounded) number; the same object when it has none. */
export function withoutBigInts(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const converted = withoutBigInts(item);
      if (converted !== item) (copy ??= [...value])[i] = converted;
    });
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [name, member] of Object.entries(value)) {
    const converted = withoutBigInts(member);
    if (converted !== member) {
      copy ??= { ...(value as Record<string, unknown>) };
      Object.defineProperty(copy, name, { value: converted, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy ?? value;
}
