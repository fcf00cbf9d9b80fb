/** Boxed expressions compiled to evaluators over a variables record. */
import { invoke } from '../feel/lang/compiler/invoke.js';
import type { Run } from '../feel/lang/compiler/run.js';
import { FeelContext } from '../feel/lang/values/context.js';
import { FeelFunction, type Parameter } from '../feel/lang/values/function.js';
import type { Value } from '../feel/lang/values/value.js';
import { compileDecisionTable } from './decision-table.js';
import { compileExpression, type CompileEnv, type Evaluator, type Vars } from './feel.js';
import type { Boxed, FunctionDefinition } from './model.js';
import { coerce, type DmnType } from './types.js';

export function compileBoxed(expression: Boxed, env: CompileEnv, where: string): Evaluator {
  const typed = (e: Evaluator): Evaluator => {
    const type = expression.kind === 'decisionTable' ? undefined : env.types.resolve(expression.typeRef);
    return type === undefined ? e : (vars, run) => coerce(e(vars, run), type, run, where);
  };
  switch (expression.kind) {
    case 'literal':
      return typed(compileExpression(expression.text, env, where));
    case 'decisionTable': {
      const table = compileDecisionTable(expression, env, where);
      return (vars, run) => table(vars, run).value;
    }
    case 'context': {
      const entries = expression.entries.map((entry, i) => ({
        name: entry.name,
        type: env.types.resolve(entry.typeRef),
        value: compileBoxed(entry.value, env, `${where}, entry '${entry.name ?? i + 1}'`),
      }));
      return typed((vars, run) => {
        // One record for the whole context: a function defined in an entry sees the later entries
        // and itself, so recursion through context entries works.
        const scope: Vars = { ...vars };
        const result = new Map<string, Value>();
        for (const entry of entries) {
          const v = coerce(entry.value(scope, run), entry.type, run, `${where}, entry '${entry.name ?? ''}'`);
          if (entry.name === undefined) return v;
          scope[entry.name] = v;
          result.set(entry.name, v);
        }
        return new FeelContext(result);
      });
    }
    case 'list': {
      const items = expression.items.map((item, i) => compileBoxed(item, env, `${where}, item ${i + 1}`));
      return typed((vars, run) => items.map((item) => item(vars, run)));
    }
    case 'relation': {
      const columns = expression.columns.map((c) => ({ name: c.name, type: env.types.resolve(c.typeRef) }));
      const rows = expression.rows.map((row, r) => row.map((cell, c) => compileBoxed(cell, env, `${where}, row ${r + 1}, column ${c + 1}`)));
      return typed((vars, run) =>
        rows.map((row) => new FeelContext(columns.map((c, i) => [c.name, coerce(row[i] ? row[i]!(vars, run) : null, c.type, run, `${where}, column '${c.name}'`)]))),
      );
    }
    case 'invocation': {
      const calleeText = expression.callee.kind === 'literal' ? expression.callee.text.trim() : '';
      const callee = compileBoxed(expression.callee, env, `${where}, invoked function`);
      const bindings = expression.bindings.map((b) => ({ name: b.name, value: b.value ? compileBoxed(b.value, env, `${where}, binding '${b.name}'`) : null }));
      return typed((vars, run) => {
        const fn = callee(vars, run);
        const named = new Map<string, Value>();
        for (const b of bindings) named.set(b.name, b.value ? b.value(vars, run) : null);
        return invoke(fn, calleeText, null, named, run);
      });
    }
    case 'function': {
      const make = compileFunction(expression, env, where);
      return (vars) => make(vars);
    }
    case 'conditional': {
      const cond = compileBoxed(expression.if, env, `${where}, if`);
      const then = compileBoxed(expression.then, env, `${where}, then`);
      const otherwise = compileBoxed(expression.else, env, `${where}, else`);
      return typed((vars, run) => (cond(vars, run) === true ? then(vars, run) : otherwise(vars, run)));
    }
    case 'for': {
      const source = compileBoxed(expression.in, env, `${where}, in`);
      const body = compileBoxed(expression.return, env, `${where}, return`);
      const name = expression.variable;
      return typed((vars, run) => {
        const list = source(vars, run);
        if (!Array.isArray(list)) return run.warn('INVALID_ITERATION', `${where}: 'in' is not a list`);
        return (list as Value[]).map((item) => body({ ...vars, [name]: item }, run));
      });
    }
    case 'every':
    case 'some': {
      const source = compileBoxed(expression.in, env, `${where}, in`);
      const test = compileBoxed(expression.satisfies, env, `${where}, satisfies`);
      const name = expression.variable;
      const every = expression.kind === 'every';
      return typed((vars, run) => {
        const list = source(vars, run);
        if (!Array.isArray(list)) return run.warn('INVALID_ITERATION', `${where}: 'in' is not a list`);
        let sawNull = false;
        for (const item of list as Value[]) {
          const v = test({ ...vars, [name]: item }, run);
          if (v === !every) return !every;
          if (v !== every) sawNull = true;
        }
        return sawNull ? null : every;
      });
    }
    case 'filter': {
      const source = compileBoxed(expression.in, env, `${where}, in`);
      const match = compileBoxed(expression.match, env, `${where}, match`);
      return typed((vars, run) => {
        const list = source(vars, run);
        if (!Array.isArray(list)) return run.warn('INVALID_ITERATION', `${where}: 'in' is not a list`);
        const kept: Value[] = [];
        for (const item of list as Value[]) {
          const scope: Vars = { ...vars };
          if (item instanceof FeelContext) for (const [k, v] of item.entries) scope[k] = v;
          scope['item'] = item;
          const v = match(scope, run);
          if (v !== null && typeof v !== 'boolean') return run.warn('INVALID_FILTER', `${where}: 'match' is not a boolean`);
          if (v === true) kept.push(item);
        }
        return kept;
      });
    }
    case 'unsupported': {
      env.errors.push(`${where}: unsupported expression <${expression.element}>`);
      const element = expression.element;
      return (_vars, run) => run.warn('UNSUPPORTED_EXPRESSION', `${where}: <${element}> is not supported`);
    }
  }
}

/**
 * A function definition: given the scope it closes over, a FEEL function value. Parameters are
 * coerced to their typeRefs (a mismatch fails the call); Java and PMML functions are null + warning.
 */
export function compileFunction(definition: FunctionDefinition, outer: CompileEnv, where: string, name = 'anonymous'): (closure: Vars) => FeelFunction {
  const dotted = definition.parameters.map((p) => p.name).filter((n) => n.includes('.'));
  const env: CompileEnv = dotted.length === 0 ? outer : { ...outer, knownNames: [...outer.knownNames, ...dotted] };
  const params = definition.parameters.map((p) => ({ name: p.name, type: env.types.resolve(p.typeRef) }));
  const resultType: DmnType | undefined = env.types.resolve(definition.typeRef);
  const body: Evaluator =
    definition.functionKind !== 'FEEL'
      ? (_vars, run) => run.warn('UNSUPPORTED_FUNCTION_KIND', `${where}: ${definition.functionKind} functions are not supported`)
      : definition.body
        ? compileBoxed(definition.body, env, where)
        : (_vars, run) => run.warn('INVALID_FUNCTION', `${where}: the function has no body`);
  const signatureParams: Parameter[] = params.map((p) => ({ name: p.name }));
  return (closure) =>
    new FeelFunction(name, [
      {
        params: signatureParams,
        invoke(args: Value[], run: Run): Value {
          const scope: Vars = { ...closure };
          for (let i = 0; i < params.length; i++) {
            const p = params[i]!;
            const arg = args[i] ?? null;
            const v = coerce(arg, p.type, run, `${where}, parameter '${p.name}'`);
            if (v === null && arg !== null) return null;
            scope[p.name] = v;
          }
          return coerce(body(scope, run), resultType, run, `${where}, result`);
        },
      },
    ]);
}
