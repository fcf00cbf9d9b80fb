/**
 * Random FEEL: a grammar of the language (literals, names, operators, if/for/some/every,
 * filters, paths, ranges, contexts, built-in calls) that mostly parses, raw strings that mostly
 * do not, and random variable contexts for them to read.
 */
import fc from 'fast-check';

/** Names the contexts define (and some they do not). */
export const NAMES = ['a', 'b', 'c', 'items', 'order', 'x y', 'missing'] as const;

const FUNCTIONS: ReadonlyArray<readonly [string, number]> = [
  ['count', 1], ['sum', 1], ['min', 1], ['max', 1], ['mean', 1], ['median', 1], ['reverse', 1], ['flatten', 1],
  ['distinct values', 1], ['sort', 1], ['append', 2], ['concatenate', 2], ['index of', 2], ['list contains', 2],
  ['sublist', 3], ['insert before', 3], ['remove', 2], ['union', 2], ['all', 1], ['any', 1], ['product', 1],
  ['string length', 1], ['substring', 2], ['substring', 3], ['upper case', 1], ['lower case', 1], ['contains', 2],
  ['starts with', 2], ['ends with', 2], ['split', 2], ['string join', 2], ['replace', 3], ['matches', 2],
  ['substring before', 2], ['substring after', 2], ['string', 1], ['number', 1], ['abs', 1], ['floor', 1],
  ['ceiling', 1], ['decimal', 2], ['round half up', 2], ['modulo', 2], ['sqrt', 1], ['log', 1], ['exp', 1],
  ['odd', 1], ['even', 1], ['date', 1], ['time', 1], ['date and time', 1], ['date and time', 2], ['duration', 1],
  ['years and months duration', 2], ['day of week', 1], ['now', 0], ['today', 0], ['is defined', 1],
  ['get value', 2], ['get entries', 1], ['context put', 3], ['context merge', 1], ['put all', 2], ['not', 1],
  ['is empty', 1], ['to json', 1], ['from json', 1], ['partition', 2], ['duplicate values', 1],
  ['assert', 2], ['range', 1], ['before', 2], ['includes', 2], ['string format', 2], ['random number', 0],
  ['uuid', 0], ['extract', 2], ['trim', 1], ['last day of month', 1], ['is', 2], ['nonexistent function', 1],
];

const STRINGS = ['', 'a', 'abc', '2024-02-29', '2024-13-45', '12:00:00', 'P1D', 'PT-1H', 'P1Y2M', '2020-01-01T10:00:00@Europe/Berlin',
  '[a-z]+', '(a+)+$', '\\\\', '\\"', '\\u00e9', '\\uD800', '💥', '1e400', '{"a":1}', 'null', ' '];

const NUMBERS = ['0', '1', '-1', '0.5', '1e3', '10000000000000000000000000000000000', '0.000000000000000000000000000000001',
  '123456789012345678901234567890.123456789', '-0', '9007199254740993', '1.7976931348623157e308', '.5', '5.'];

const literal: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n)),
  fc.constantFrom(...STRINGS).map((s) => `"${s}"`),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null'),
  fc.constantFrom('@"2020-01-01"', '@"P1D"', '@"10:00:00"', '@"2020-01-01T00:00:00Z"', '@"PT1M"', '@"bad"'),
);

const name: fc.Arbitrary<string> = fc.constantFrom(...NAMES, 'item', 'partial', '`x y`', '`with-dash`', 'now', 'date');

const BINARY = ['+', '-', '*', '/', '**', '=', '!=', '<', '<=', '>', '>=', 'and', 'or'];

/** A FEEL expression from the grammar, at most `depth` levels deep. */
export const feelExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => {
  const expr = tie('expr');
  const list = fc.array(expr, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`);
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      name,
      fc.tuple(expr, fc.constantFrom(...BINARY), expr).map(([l, op, r]) => `${l} ${op} ${r}`),
      fc.tuple(expr, expr, expr).map(([c, t, e]) => `if ${c} then ${t} else ${e}`),
      list,
      fc.tuple(list, expr).map(([l, body]) => `for item in ${l} return ${body}`),
      fc.tuple(fc.constantFrom('some', 'every'), list, expr).map(([q, l, body]) => `${q} item in ${l} satisfies ${body}`),
      fc.tuple(expr, expr).map(([l, f]) => `${l}[${f}]`),
      fc.tuple(expr, fc.constantFrom('a', 'b', 'year', 'days', 'value', 'start')).map(([l, p]) => `(${l}).${p}`),
      fc.tuple(fc.constantFrom('[', '(', ']'), expr, expr, fc.constantFrom(']', ')', '[')).map(([o, l, r, c]) => `${o}${l}..${r}${c}`),
      fc.array(fc.tuple(fc.constantFrom('a', 'b', '"c d"', 'x'), expr), { maxLength: 3 }).map((entries) => `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(expr, { minLength: 3, maxLength: 3 })).map(([[fn, arity], args]) => `${fn}(${args.slice(0, arity).join(', ')})`),
      fc.tuple(expr, fc.constantFrom('number', 'string', 'boolean', 'list<number>', 'context', 'date', 'Any', 'Null')).map(([e, t]) => `${e} instance of ${t}`),
      fc.tuple(expr, expr, expr).map(([e, l, h]) => `${e} between ${l} and ${h}`),
      fc.tuple(expr, list).map(([e, l]) => `${e} in ${l}`),
      fc.tuple(expr, expr).map(([e, l]) => `${e} in (${l})`),
      expr.map((e) => `-(${e})`),
      expr.map((e) => `not(${e})`),
      fc.tuple(fc.constantFrom('x', 'y'), expr).map(([p, body]) => `(function(${p}) ${body})(1)`),
    ),
  };
}).expr;

/** Raw text: mostly not FEEL at all, sometimes nearly so. */
export const rawFeelText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60, unit: 'grapheme' }),
  fc.string({ maxLength: 40, unit: fc.constantFrom('(', ')', '[', ']', '{', '}', '"', '.', ',', ':', '@', '`', '\\', '?', 'a', '1', ' ', 'if', 'for', '..', '-', '+') }),
  fc.tuple(feelExpression, fc.nat(), fc.nat()).map(([text, at, cut]) => text.slice(0, at % (text.length + 1)) + text.slice((at + cut) % (text.length + 1))),
);

/** Variable values of every JSON shape, some awkward (deep, big, unicode, prototype keys). */
export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  fc.constantFrom(1e308, -0, 9007199254740993, '2020-01-01', 'P1D', '', '💥'),
  fc.nat({ max: 300 }).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { a: v } : [v];
    return v;
  }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}') as unknown),
);

/** A variable context: some of the grammar's names, with random values. */
export const feelContext: fc.Arbitrary<Record<string, unknown>> = fc
  .array(fc.tuple(fc.constantFrom(...NAMES.filter((n) => n !== 'missing'), '__proto__', 'constructor'), jsonValue), { maxLength: 6 })
  .map((entries) => {
    const context: Record<string, unknown> = {};
    for (const [key, value] of entries) Object.defineProperty(context, key, { value, enumerable: true, configurable: true, writable: true });
    return context;
  });
