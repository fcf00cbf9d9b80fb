/**
 * A compact way to declare built-ins: each overload is a parameter list written as FEEL would
 * name it (`string: string, start position: number, length?: number`, `...lists: list`) and an
 * implementation over the bound arguments. Unless `nulls` is set, a null argument gives null.
 */
import { FeelFunction, type Parameter, type Signature } from '../values/function.js';
import { namedType } from '../values/types.js';
import type { Value } from '../values/value.js';
import { FeelError, type Run } from '../compiler/run.js';

// Implementations check their own argument kinds; `any` keeps them short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Impl = (args: any, run: Run) => Value;

export interface Options {
  /** The implementation handles null arguments itself. */
  readonly nulls?: boolean;
}

function parseParams(spec: string): Parameter[] {
  if (spec.trim() === '') return [];
  return spec.split(',').map((part) => {
    const [rawName, rawType] = part.split(':').map((x) => x.trim());
    let name = rawName!;
    const variadic = name.startsWith('...');
    if (variadic) name = name.slice(3);
    const optional = name.endsWith('?');
    if (optional) name = name.slice(0, -1);
    const type = rawType === undefined ? undefined : namedType(rawType);
    if (rawType !== undefined && type === undefined) throw new Error(`Unknown type in built-in spec: ${rawType}`);
    return { name, ...(type ? { type } : {}), ...(variadic ? { variadic } : {}), ...(optional ? { optional } : {}) };
  });
}

export function builtin(name: string, overloads: ReadonlyArray<readonly [string, Impl]>, options: Options = {}): FeelFunction {
  const signatures: Signature[] = overloads.map(([spec, impl]) => {
    const params = parseParams(spec);
    const invoke = options.nulls
      ? impl
      : (args: Value[], run: Run): Value => {
          for (let i = 0; i < args.length; i++) if (args[i] === null && !params[i]?.variadic) return null;
          return impl(args, run);
        };
    return { params, invoke };
  });
  return new FeelFunction(name, signatures);
}

export function fail(message: string): never {
  throw new FeelError('FUNCTION_INVOCATION_FAILURE', message);
}

export type Registry = Map<string, FeelFunction>;

/**
 * `range("[1..10)")` needs the FEEL compiler, which itself needs the built-ins: the compiler
 * registers how to read a range literal (src/feel/lang/index.ts) instead of being imported here.
 */
let rangeLiteralReader: ((text: string) => Value | undefined) | null = null;

export function setRangeLiteralReader(reader: (text: string) => Value | undefined): void {
  rangeLiteralReader = reader;
}

/** The value of a range literal's text; undefined when it does not compile. */
export function parseRangeLiteral(text: string): Value | undefined {
  if (!rangeLiteralReader) throw new Error('the FEEL compiler has not registered its range literal reader');
  return rangeLiteralReader(text);
}

export function register(registry: Registry, ...functions: FeelFunction[]): void {
  for (const f of functions) registry.set(f.name, f);
}
