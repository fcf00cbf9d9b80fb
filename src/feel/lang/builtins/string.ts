/** String functions (DMN 1.5, 10.3.4.3). Positions and lengths count code points, as FEEL does. */
import { FeelDecimal, type FeelNumber } from '../values/number.js';
import type { Value } from '../values/value.js';
import { builtin, fail, register, type Registry } from './define.js';

function codePoints(s: string): string[] {
  return Array.from(s);
}

/** XPath regular-expression flags to a JS RegExp ('u' always; 'x' strips pattern whitespace). */
export function xpathRegex(pattern: string, flags: string | null, global = false): RegExp {
  let js = 'u' + (global ? 'g' : '');
  let source = pattern;
  for (const flag of flags ?? '') {
    if (flag === 'i' || flag === 'm' || flag === 's') {
      if (!js.includes(flag)) js += flag;
    } else if (flag === 'x') source = source.replace(/\s+/g, '');
    else if (flag !== 'q') fail(`invalid regular expression flag '${flag}'`);
  }
  if ((flags ?? '').includes('q')) source = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    return new RegExp(source, js);
  } catch {
    fail(`invalid regular expression '${pattern}'`);
  }
}

function substring(s: string, start: FeelNumber, length: FeelNumber | null): Value {
  const chars = codePoints(s);
  let from = start.trunc().toNumber();
  if (from === 0 || Math.abs(from) > chars.length) {
    if (from === 0 || from > chars.length) fail('start position out of range');
    from = 1;
  }
  const begin = from > 0 ? from - 1 : chars.length + from;
  const count = length === null ? chars.length : length.trunc().toNumber();
  if (count < 0) fail('length must not be negative');
  return chars.slice(begin, begin + count).join('');
}

export function registerString(r: Registry): void {
  register(
    r,
    builtin('substring', [['string: string, start position: number, length?: number', ([s, start, len]) => substring(s, start, len ?? null)]]),
    builtin('string length', [['string: string', ([s]) => new FeelDecimal(codePoints(s).length)]]),
    builtin('upper case', [['string: string', ([s]) => s.toUpperCase()]]),
    builtin('lower case', [['string: string', ([s]) => s.toLowerCase()]]),
    builtin('substring before', [['string: string, match: string', ([s, m]) => (s.indexOf(m) < 0 ? '' : s.slice(0, s.indexOf(m)))]]),
    builtin('substring after', [['string: string, match: string', ([s, m]) => (s.indexOf(m) < 0 ? '' : s.slice(s.indexOf(m) + m.length))]]),
    builtin('replace', [
      [
        'input: string, pattern: string, replacement: string, flags?: string',
        ([input, pattern, replacement, flags]) => {
          const regex = xpathRegex(pattern, flags ?? null, true);
          if (regex.test('')) fail('pattern matches the empty string');
          const js = replacement.replace(/\$\$/g, '\u0000').replace(/\\\$/g, '$$$$').replace(/\\\\/g, '\\').replace(/\u0000/g, '$$$$').replace(/\$0/g, '$$&');
          return input.replace(regex, js);
        },
      ],
    ]),
    builtin('contains', [['string: string, match: string', ([s, m]) => s.includes(m)]]),
    builtin('starts with', [['string: string, match: string', ([s, m]) => s.startsWith(m)]]),
    builtin('ends with', [['string: string, match: string', ([s, m]) => s.endsWith(m)]]),
    builtin('matches', [['input: string, pattern: string, flags?: string', ([input, pattern, flags]) => xpathRegex(pattern, flags ?? null).test(input)]]),
    builtin('split', [['string: string, delimiter: string', ([s, d]) => s.split(xpathRegex(d, null))]]),
    builtin(
      'string join',
      [
        [
          'list: list, delimiter?: string',
          ([list, delimiter]) => {
            if (list === null) return null;
            const items = (list as Value[]).filter((v) => v !== null);
            if (items.some((v) => typeof v !== 'string')) fail('string join needs a list of strings');
            return items.join(delimiter ?? '');
          },
        ],
      ],
      { nulls: true },
    ),
  );
}
