/**
 * Zen's FEEL: `compileFeel(source, { profile })` parses once (lezer-feel), builds Zen's AST and
 * compiles it to closures; `evaluate(context)` then runs with no parsing. Evaluation never throws:
 * a failure is a null result plus a warning.
 */
import { Compiler, FeelCompileError, type Code, type TestCode } from './compiler/compile.js';
import { FeelFailure, Run, type FeelWarning } from './compiler/run.js';
import { Scope } from './compiler/scope.js';
import { setRangeLiteralReader } from './builtins/define.js';
import { profileNamed, type Profile } from './profile.js';
import { FeelSyntaxError, parseExpression, parseUnaryTests } from './syntax/parse.js';
import { feelNesting, MAX_FEEL_NESTING } from './syntax/nesting.js';
import type { Value } from './values/value.js';

export type { FeelWarning } from './compiler/run.js';
export type { Value as FeelValue } from './values/value.js';

export interface CompileOptions {
  readonly profile: 'dmn' | 'camunda' | Profile;
  /** Names in scope at evaluation time; needed to parse names with spaces or operators in them. */
  readonly knownNames?: Iterable<string>;
}

export interface EvaluateOptions {
  /** Epoch milliseconds read by now() and today(); defaults to 0 so evaluation is deterministic. */
  readonly nowMs?: number;
}

export interface Evaluation {
  readonly value: Value;
  readonly warnings: readonly FeelWarning[];
  /**
   * Present when the evaluation failed as a whole rather than giving null (Camunda's `assert`):
   * Zeebe raises an incident with this message. The value is then null.
   */
  readonly failure?: FeelWarning;
}

export type Compiled =
  | { readonly ok: true; readonly evaluate: (context: Readonly<Record<string, unknown>>, options?: EvaluateOptions) => Evaluation }
  | { readonly ok: false; readonly message: string };

export type CompiledTests =
  | { readonly ok: true; readonly test: (input: unknown, context: Readonly<Record<string, unknown>>, options?: EvaluateOptions) => { value: boolean | null; warnings: readonly FeelWarning[]; failure?: FeelWarning } }
  | { readonly ok: false; readonly message: string };

function resolveProfile(profile: CompileOptions['profile']): Profile {
  return typeof profile === 'string' ? profileNamed(profile) : profile;
}

/** A name the parser reads as one token without help: no spaces or operators in it. */
const PLAIN_NAME = /^[\p{L}_$?][\p{L}\p{N}_$?]*$/u;
/**
 * Longer names are not tracked: the parser's cost grows with the length of every tracked name
 * (a DMN model naming its input data with 100,000 characters took seconds per expression), and
 * no expression spells out such a name.
 */
const MAX_TRACKED_NAME = 512;

function names(profile: Profile, knownNames: Iterable<string> | undefined): string[] {
  // Only the built-ins with spaces need the tracker; a plain one such as `context` would make
  // `context<a: number>` read as a comparison. Plain known names parse as they are, too.
  const tracked = [...(knownNames ?? [])].filter((n) => n.length <= MAX_TRACKED_NAME && !PLAIN_NAME.test(n));
  return [...[...profile.builtins.keys()].filter((n) => n.includes(' ')), ...tracked];
}

function failure(source: string, error: unknown): { ok: false; message: string } {
  if (error instanceof FeelSyntaxError || error instanceof FeelCompileError) return { ok: false, message: `failed to parse expression '${source}': ${error.message}` };
  // A stack overflow in the parser or compiler (a text nested past what the bracket bound sees,
  // such as thousands of chained if-then-else): the text is refused, the caller goes on.
  if (error instanceof RangeError) return { ok: false, message: `failed to parse expression '${source}': the expression is nested too deeply` };
  throw error;
}

/** Refuses before parsing a text whose brackets nest past the bound (see syntax/nesting.ts). */
function tooDeep(source: string): { ok: false; message: string } | null {
  if (feelNesting(source) <= MAX_FEEL_NESTING) return null;
  return { ok: false, message: `failed to parse expression '${source}': brackets nest deeper than ${MAX_FEEL_NESTING} levels` };
}

function run(code: Code, scope: Scope): Value {
  try {
    return code(scope);
  } catch (error) {
    if (error instanceof FeelFailure) return scope.run.fail(error);
    // A defect, or a stack overflow from runaway recursion: still an evaluation failure, not a crash.
    const message = error instanceof Error ? error.message : String(error);
    return scope.run.warn('EVALUATION_FAILURE', `Failed to evaluate: ${message}`);
  }
}

setRangeLiteralReader((text) => {
  const compiled = compileFeel(text, { profile: 'dmn' });
  return compiled.ok ? compiled.evaluate({}).value : undefined;
});

export function compileFeel(source: string, options: CompileOptions): Compiled {
  const profile = resolveProfile(options.profile);
  const refused = tooDeep(source);
  if (refused) return refused;
  let code: Code;
  try {
    const ast = parseExpression(source, { knownNames: names(profile, options.knownNames), ...(profile.dialect ? { dialect: profile.dialect } : {}) });
    code = new Compiler(profile).compile(ast);
  } catch (error) {
    return failure(source, error);
  }
  return {
    ok: true,
    evaluate(context, evaluateOptions) {
      const r = new Run(evaluateOptions?.nowMs ?? 0);
      const value = run(code, new Scope(r, null, null, context));
      return r.failure === null ? { value, warnings: r.warnings } : { value: null, warnings: r.warnings, failure: r.failure };
    },
  };
}

/** Unary tests (DMN input entries): `-`, `> 5, [1..3]`, `not("a", "b")`, `? > x`. */
export function compileUnaryTests(source: string, options: CompileOptions): CompiledTests {
  const profile = resolveProfile(options.profile);
  let tests: TestCode[] | null;
  let negated = false;
  const refused = tooDeep(source);
  if (refused) return refused;
  try {
    const ast = parseUnaryTests(source, { knownNames: names(profile, options.knownNames), ...(profile.dialect ? { dialect: profile.dialect } : {}) });
    const compiler = new Compiler(profile);
    if (ast.kind === 'any') tests = null;
    else {
      negated = ast.negated;
      tests = ast.tests.map((t) => compiler.unaryTest(t));
    }
  } catch (error) {
    return failure(source, error);
  }
  return {
    ok: true,
    test(input, context, evaluateOptions) {
      const r = new Run(evaluateOptions?.nowMs ?? 0);
      if (tests === null) return { value: true, warnings: [] };
      const scope = new Scope(r, null, null, context);
      const inputValue = new Scope(r, null, null, { '?': input }).lookup('?') ?? null;
      let result: boolean | null = false;
      try {
        for (const t of tests) {
          const v = t(scope, inputValue);
          if (v === true) {
            result = true;
            break;
          }
          if (v === null) result = null;
        }
      } catch (error) {
        if (error instanceof FeelFailure) r.fail(error);
        else r.warn('EVALUATION_FAILURE', `Failed to evaluate: ${(error as Error).message}`);
        result = null;
      }
      if (r.failure !== null) return { value: null, warnings: r.warnings, failure: r.failure };
      if (negated && result !== null) result = !result;
      return { value: result, warnings: r.warnings };
    },
  };
}
