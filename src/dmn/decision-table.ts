/**
 * Decision tables: inputs evaluated once, every rule's input entries tested, the matched rules'
 * output entries evaluated, then the hit policy picks or collects. An input or output outside its
 * declared values, or a UNIQUE/ANY conflict, makes the table's result null with a warning.
 */
import type { Run } from '../feel/lang/compiler/run.js';
import { FeelContext } from '../feel/lang/values/context.js';
import { FeelDecimal, isNumber } from '../feel/lang/values/number.js';
import type { Value } from '../feel/lang/values/value.js';
import { feelCompare } from '../feel/lang/semantics/compare.js';
import { feelEquals } from '../feel/lang/semantics/equality.js';
import type { Boxed } from './model.js';
import { compileExpression, compileTests, type CompileEnv, type Evaluator, type Tester, type Vars } from './feel.js';
import { coerce } from './types.js';

type Table = Extract<Boxed, { kind: 'decisionTable' }>;

export interface MatchedRule {
  readonly ruleId: string;
  /** 1-based, as Camunda reports it. */
  readonly ruleIndex: number;
  readonly outputs: ReadonlyArray<{ readonly outputId: string; readonly outputName: string; readonly value: Value }>;
}

export interface TableEvaluation {
  readonly value: Value;
  readonly inputs: ReadonlyArray<{ readonly inputId: string; readonly inputName: string; readonly value: Value }>;
  readonly matchedRules: readonly MatchedRule[];
}

export type TableEvaluator = (vars: Vars, run: Run) => TableEvaluation;

export function compileDecisionTable(table: Table, env: CompileEnv, where: string): TableEvaluator {
  const inputs = table.inputs.map((input, i) => ({
    id: input.id ?? `input${i + 1}`,
    name: input.label ?? input.expression.trim(),
    expression: compileExpression(input.expression, env, `${where}, input '${input.expression.trim()}'`),
    type: env.types.resolve(input.typeRef),
    values: input.inputValues !== undefined ? compileTests(input.inputValues, env, `${where}, input values`) : undefined,
  }));
  const outputs = table.outputs.map((output, i) => {
    const outputWhere = `${where}, output '${output.name ?? i + 1}'`;
    return {
      id: output.id ?? `output${i + 1}`,
      name: output.name ?? '',
      type: env.types.resolve(output.typeRef),
      values: output.outputValues !== undefined ? compileTests(output.outputValues, env, `${outputWhere}, output values`) : undefined,
      order: output.outputValues !== undefined ? compileExpression(`[${output.outputValues}]`, env, `${outputWhere}, output values`) : undefined,
      defaultOutput: output.defaultOutput !== undefined ? compileExpression(output.defaultOutput, env, `${outputWhere}, default output`) : undefined,
    };
  });
  const rules = table.rules.map((rule, r) => ({
    id: rule.id ?? `rule${r + 1}`,
    index: r + 1,
    tests: rule.inputEntries.map((text, i): Tester | null =>
      text.trim() === '-' || text.trim() === '' ? null : compileTests(text, env, `${where}, rule ${r + 1}, input entry ${i + 1}`),
    ),
    outputs: rule.outputEntries.map((text, o): Evaluator => compileExpression(text, env, `${where}, rule ${r + 1}, output entry ${o + 1}`)),
  }));
  const hitPolicy = table.hitPolicy;
  const aggregation = table.aggregation;
  const single = outputs.length === 1;

  return (vars, run) => {
    const inputValues: Value[] = [];
    const reportedInputs: TableEvaluation['inputs'][number][] = [];
    let failed = false;
    for (const input of inputs) {
      let v = input.expression(vars, run);
      if (input.type !== undefined) v = coerce(v, input.type, run, `input '${input.name}'`);
      if (input.values !== undefined && v !== null && input.values(v, vars, run) !== true) {
        run.warn('INVALID_INPUT', `${where}: input '${input.name}' is not one of its input values`);
        failed = true;
      }
      inputValues.push(v);
      reportedInputs.push({ inputId: input.id, inputName: input.name, value: v });
    }
    if (failed) return { value: null, inputs: reportedInputs, matchedRules: [] };

    const matched: { rule: (typeof rules)[number]; values: Value[] }[] = [];
    for (const rule of rules) {
      let hit = true;
      for (let i = 0; i < rule.tests.length && hit; i++) {
        const test = rule.tests[i];
        if (test !== null && test !== undefined && test(inputValues[i] ?? null, vars, run) !== true) hit = false;
      }
      if (!hit) continue;
      const values = outputs.map((output, o) => {
        const entry = rule.outputs[o];
        let v = entry ? entry(vars, run) : null;
        if (output.type !== undefined) v = coerce(v, output.type, run, `output '${output.name}'`);
        if (output.values !== undefined && v !== null && output.values(v, vars, run) !== true) {
          run.warn('INVALID_OUTPUT', `${where}: rule ${rule.index} output '${output.name}' is not one of its output values`);
          failed = true;
        }
        return v;
      });
      matched.push({ rule, values });
      if (hitPolicy === 'FIRST') break;
    }
    const matchedRules = matched.map(({ rule, values }) => ({
      ruleId: rule.id,
      ruleIndex: rule.index,
      outputs: outputs.map((o, i) => ({ outputId: o.id, outputName: o.name, value: values[i] ?? null })),
    }));
    const result = (value: Value): TableEvaluation => ({ value, inputs: reportedInputs, matchedRules });
    if (failed) return result(null);
    const row = (values: readonly Value[]): Value => (single ? (values[0] ?? null) : new FeelContext(outputs.map((o, i) => [o.name, values[i] ?? null])));

    if (matched.length === 0) {
      if (outputs.some((o) => o.defaultOutput !== undefined)) return result(row(outputs.map((o) => (o.defaultOutput ? coerce(o.defaultOutput(vars, run), o.type, run, `default output '${o.name}'`) : null))));
      if (hitPolicy === 'COLLECT' && aggregation === 'COUNT') return result(new FeelDecimal(0));
      if (hitPolicy === 'COLLECT' && aggregation === undefined) return result([]);
      if (hitPolicy === 'RULE ORDER' || hitPolicy === 'OUTPUT ORDER') return result([]);
      return result(null);
    }
    switch (hitPolicy) {
      case 'UNIQUE':
        if (matched.length > 1) return result(run.warn('HIT_POLICY_VIOLATION', `${where}: UNIQUE hit policy, but rules ${matched.map((m) => m.rule.index).join(', ')} matched`));
        return result(row(matched[0]!.values));
      case 'FIRST':
        return result(row(matched[0]!.values));
      case 'ANY': {
        const first = matched[0]!.values;
        const agree = matched.every((m) => m.values.every((v, i) => feelEquals(v, first[i] ?? null) === true || (v === null && first[i] === null)));
        if (!agree) return result(run.warn('HIT_POLICY_VIOLATION', `${where}: ANY hit policy, but the matched rules' outputs differ`));
        return result(row(first));
      }
      case 'PRIORITY':
      case 'OUTPUT ORDER': {
        const orders = outputs.map((o) => {
          const list = o.order ? o.order(vars, run) : null;
          return Array.isArray(list) ? (list as Value[]) : [];
        });
        const rank = (values: readonly Value[]) =>
          values.map((v, i) => {
            const at = orders[i]!.findIndex((x) => feelEquals(x, v) === true);
            return at < 0 ? Number.MAX_SAFE_INTEGER : at;
          });
        const ranked = matched.map((m) => ({ m, rank: rank(m.values) }));
        ranked.sort((a, b) => {
          for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
          return 0;
        });
        if (hitPolicy === 'PRIORITY') return result(row(ranked[0]!.m.values));
        return result(ranked.map((r) => row(r.m.values)));
      }
      case 'RULE ORDER':
        return result(matched.map((m) => row(m.values)));
      case 'COLLECT': {
        const values = matched.map((m) => row(m.values));
        if (aggregation === undefined) return result(values);
        return result(aggregate(aggregation, values, run, where));
      }
    }
    return result(run.warn('INVALID_HIT_POLICY', `${where}: unknown hit policy '${String(hitPolicy)}'`));
  };
}

function aggregate(aggregation: string, values: Value[], run: Run, where: string): Value {
  const present = values.filter((v) => v !== null);
  switch (aggregation) {
    case 'COUNT':
      return new FeelDecimal(present.length);
    case 'SUM': {
      if (present.length === 0) return null;
      let sum = new FeelDecimal(0);
      for (const v of present) {
        if (!isNumber(v)) return run.warn('INVALID_AGGREGATION', `${where}: SUM over a value that is not a number`);
        sum = sum.plus(v);
      }
      return sum;
    }
    case 'MIN':
    case 'MAX': {
      if (present.length === 0) return null;
      let best = present[0]!;
      for (const v of present.slice(1)) {
        const c = feelCompare(v, best);
        if (c === null) return run.warn('INVALID_AGGREGATION', `${where}: ${aggregation} over values that do not compare`);
        if (aggregation === 'MIN' ? c < 0 : c > 0) best = v;
      }
      return best;
    }
  }
  return run.warn('INVALID_AGGREGATION', `${where}: unknown aggregation '${aggregation}'`);
}
