/**
 * DMN documents from a grammar: decisions as decision tables (every hit policy and aggregation,
 * inputs, outputs, rules of unary tests), literal expressions or boxed contexts (nested), with
 * requirements on input data and on other decisions (dangling and cyclic ones included).
 */
import fc from 'fast-check';
import { el, type XmlElement } from './xml-documents.js';
import { feelExpression } from './feel-grammar.js';

const NS = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

const HIT_POLICIES = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER', 'BOGUS'];
const AGGREGATIONS = [undefined, 'SUM', 'COUNT', 'MIN', 'MAX', 'AVERAGE'];
const TYPES = ['string', 'number', 'boolean', 'date', 'dateTime', 'time', 'dayTimeDuration', 'Any', 'list', 'context', 'bogus'];

const unaryTest = fc.oneof(
  fc.constantFrom('-', '> 5', '<= 10', '"gold"', '"gold","silver"', '[1..3]', ']1..3[', 'not("a")', 'not(-)', '? > x', 'null', 'true', '"2020-01-01"', 'date("2020-01-01")', '>= @"P1D"', ''),
  feelExpression,
);

const expression = fc.oneof(fc.constantFrom('x', 'y', 'x + y', '"text"', 'count(items)', 'Decision0', 'x > 1'), feelExpression);

interface DecisionSpec {
  readonly kind: 'table' | 'literal' | 'context';
  readonly hitPolicy: string;
  readonly aggregation: string | undefined;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly rules: ReadonlyArray<{ inputs: readonly string[]; outputs: readonly string[] }>;
  readonly literal: string;
  readonly contextDepth: number;
  readonly requires: readonly number[];
  readonly type: string;
}

const decisionSpec: fc.Arbitrary<DecisionSpec> = fc.record({
  kind: fc.constantFrom('table', 'table', 'literal', 'context'),
  hitPolicy: fc.constantFrom(...HIT_POLICIES),
  aggregation: fc.constantFrom(...AGGREGATIONS),
  inputs: fc.array(expression, { minLength: 1, maxLength: 3 }),
  outputs: fc.array(fc.constantFrom('result', 'score', 'label', 'result'), { minLength: 1, maxLength: 2 }),
  rules: fc.array(fc.record({ inputs: fc.array(unaryTest, { minLength: 1, maxLength: 3 }), outputs: fc.array(expression, { minLength: 1, maxLength: 2 }) }), { maxLength: 5 }),
  literal: expression,
  contextDepth: fc.nat({ max: 6 }),
  requires: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 2 }),
  type: fc.constantFrom(...TYPES),
});

function boxed(spec: DecisionSpec, depth: number): XmlElement {
  if (depth === 0) return el('literalExpression', {}, el('text', {}, spec.literal));
  return el('context', {}, el('contextEntry', {}, el('variable', { name: `v${depth}`, typeRef: spec.type }), boxed(spec, depth - 1)), el('contextEntry', {}, el('literalExpression', {}, el('text', {}, `v${depth}`))));
}

function decision(spec: DecisionSpec, index: number, count: number): XmlElement {
  const id = `Decision${index}`;
  const requirements = spec.requires.map((r) =>
    r < 0
      ? el('informationRequirement', {}, el('requiredInput', { href: '#x' }))
      : el('informationRequirement', {}, el('requiredDecision', { href: `#Decision${r < count ? r : 99}` })),
  );
  let body: XmlElement;
  if (spec.kind === 'literal') body = el('literalExpression', {}, el('text', {}, spec.literal));
  else if (spec.kind === 'context') body = boxed(spec, spec.contextDepth);
  else {
    const inputs = spec.inputs.map((text, i) => el('input', { id: `${id}_in${i}`, label: `in ${i}` }, el('inputExpression', { typeRef: spec.type }, el('text', {}, text))));
    const outputs = spec.outputs.map((name, i) => el('output', { id: `${id}_out${i}`, name, typeRef: spec.type }));
    const rules = spec.rules.map((rule, r) =>
      el(
        'rule',
        { id: `${id}_r${r}` },
        ...spec.inputs.map((_, i) => el('inputEntry', {}, el('text', {}, rule.inputs[i % rule.inputs.length]!))),
        ...spec.outputs.map((_, i) => el('outputEntry', {}, el('text', {}, rule.outputs[i % rule.outputs.length]!))),
      ),
    );
    const attrs: Record<string, string> = { id: `${id}_table`, hitPolicy: spec.hitPolicy };
    if (spec.aggregation !== undefined) attrs.aggregation = spec.aggregation;
    body = el('decisionTable', attrs, ...inputs, ...outputs, ...rules);
  }
  return el('decision', { id, name: id }, el('variable', { name: id, typeRef: spec.type }), ...requirements, body);
}

/** A DMN document and its ids. */
export const dmnDocument: fc.Arbitrary<{ root: XmlElement; ids: readonly string[] }> = fc
  .tuple(fc.array(decisionSpec, { minLength: 1, maxLength: 4 }), fc.constantFrom('defs', 'pricing', ''))
  .map(([specs, defsId]) => {
    const root = el(
      'definitions',
      { xmlns: NS, id: defsId, name: 'Fuzz', namespace: 'http://camunda.org/schema/1.0/dmn' },
      el('inputData', { id: 'x', name: 'x' }, el('variable', { name: 'x', typeRef: 'number' })),
      ...specs.map((spec, i) => decision(spec, i, specs.length)),
    );
    return { root, ids: ['x', ...specs.map((_, i) => `Decision${i}`)] };
  });
