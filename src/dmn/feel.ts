/** FEEL texts of a model compiled once; a text that does not compile evaluates to null + warning. */
import { compileFeel, compileUnaryTests } from '../feel/lang/index.js';
import type { Run } from '../feel/lang/compiler/run.js';
import type { Value } from '../feel/lang/values/value.js';
import type { TypeRegistry } from './types.js';

export type Vars = Record<string, Value>;
export type Evaluator = (vars: Vars, run: Run) => Value;
export type Tester = (input: Value, vars: Vars, run: Run) => boolean | null;

export interface CompileEnv {
  readonly knownNames: readonly string[];
  readonly types: TypeRegistry;
  /** Compile problems, for a deployment to reject the model with. */
  readonly errors: string[];
}

export function compileExpression(text: string, env: CompileEnv, where: string): Evaluator {
  const compiled = compileFeel(text, { profile: 'dmn', knownNames: env.knownNames });
  if (!compiled.ok) {
    env.errors.push(`${where}: ${compiled.message}`);
    const message = compiled.message;
    return (_vars, run) => run.warn('INVALID_EXPRESSION', `${where}: ${message}`);
  }
  return (vars, run) => {
    const r = compiled.evaluate(vars, { nowMs: run.nowMs });
    if (r.warnings.length > 0) run.warnings.push(...r.warnings);
    return r.value;
  };
}

export function compileTests(text: string, env: CompileEnv, where: string): Tester {
  const compiled = compileUnaryTests(text, { profile: 'dmn', knownNames: env.knownNames });
  if (!compiled.ok) {
    env.errors.push(`${where}: ${compiled.message}`);
    const message = compiled.message;
    return (_input, _vars, run) => {
      run.warn('INVALID_EXPRESSION', `${where}: ${message}`);
      return null;
    };
  }
  return (input, vars, run) => {
    const r = compiled.test(input, vars, { nowMs: run.nowMs });
    if (r.warnings.length > 0) run.warnings.push(...r.warnings);
    return r.value;
  };
}
