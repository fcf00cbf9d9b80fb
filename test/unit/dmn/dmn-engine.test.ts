import { describe, expect, it } from 'vitest';
import { compileDmnXml, evaluateDecision, evaluateDecisionService, type DmnModel } from '../../../src/dmn/index.js';
import { toJs } from '../../../src/feel/lang/values/convert.js';

const NS = 'https://www.omg.org/spec/DMN/20230324/MODEL/';
const dmn = (body: string) => `<?xml version="1.0"?><definitions xmlns="${NS}" id="defs" name="test" namespace="urn:test">${body}</definitions>`;

function model(body: string): DmnModel {
  const r = compileDmnXml(dmn(body));
  if (!r.ok) throw new Error(r.message);
  return r.model;
}

function table(hitPolicy: string, rules: [string, string][], extra = '', outputValues = ''): DmnModel {
  return model(`
    <inputData id="i" name="n"><variable name="n" typeRef="number"/></inputData>
    <decision id="d" name="d"><variable name="d"/>
      <informationRequirement><requiredInput href="#i"/></informationRequirement>
      <decisionTable hitPolicy="${hitPolicy}" ${extra}>
        <input><inputExpression typeRef="number"><text>n</text></inputExpression></input>
        <output name="o">${outputValues ? `<outputValues><text>${outputValues}</text></outputValues>` : ''}</output>
        ${rules.map(([i, o], k) => `<rule id="r${k + 1}"><inputEntry><text>${i}</text></inputEntry><outputEntry><text>${o}</text></outputEntry></rule>`).join('')}
      </decisionTable>
    </decision>`);
}

const value = (m: DmnModel, inputs: Record<string, unknown>, id = 'd') => toJs(evaluateDecision(m, id, inputs).value);

describe('decision table hit policies', () => {
  const rules: [string, string][] = [['&gt; 0', '"b"'], ['&gt; 5', '"a"'], ['&lt; 0', '"c"']];
  it('UNIQUE: one match is the result, two are an error (null + warning)', () => {
    const m = table('UNIQUE', rules);
    expect(value(m, { n: -1 })).toBe('c');
    const r = evaluateDecision(m, 'd', { n: 6 });
    expect(r.value).toBeNull();
    expect(r.warnings.map((w) => w.type)).toContain('HIT_POLICY_VIOLATION');
  });
  it('FIRST takes the first matching rule; ANY needs equal outputs', () => {
    expect(value(table('FIRST', rules), { n: 6 })).toBe('b');
    expect(value(table('ANY', rules), { n: 6 })).toBeNull();
    expect(value(table('ANY', [['&gt; 0', '"x"'], ['&gt; 5', '"x"']]), { n: 6 })).toBe('x');
  });
  it('PRIORITY and OUTPUT ORDER follow the output values; RULE ORDER the rules', () => {
    expect(value(table('PRIORITY', rules, '', '"a","b","c"'), { n: 6 })).toBe('a');
    expect(value(table('OUTPUT ORDER', rules, '', '"a","b","c"'), { n: 6 })).toEqual(['a', 'b']);
    expect(value(table('RULE ORDER', rules), { n: 6 })).toEqual(['b', 'a']);
  });
  it('COLLECT with and without aggregation', () => {
    const numbers: [string, string][] = [['&gt; 0', '1'], ['&gt; 5', '10'], ['-', '3']];
    expect(value(table('COLLECT', numbers), { n: 6 })).toEqual([1, 10, 3]);
    expect(value(table('COLLECT', numbers, 'aggregation="SUM"'), { n: 6 })).toBe(14);
    expect(value(table('COLLECT', numbers, 'aggregation="MIN"'), { n: 6 })).toBe(1);
    expect(value(table('COLLECT', numbers, 'aggregation="MAX"'), { n: 6 })).toBe(10);
    expect(value(table('COLLECT', numbers, 'aggregation="COUNT"'), { n: -1 })).toBe(1);
  });
  it('reports matched rules and inputs', () => {
    const r = evaluateDecision(table('RULE ORDER', rules), 'd', { n: 6 });
    const d = r.evaluatedDecisions[0]!;
    expect(d.decisionType).toBe('DECISION_TABLE');
    expect(d.matchedRules.map((x) => [x.ruleId, x.ruleIndex])).toEqual([['r1', 1], ['r2', 2]]);
    expect(toJs(d.inputs[0]!.value)).toBe(6);
  });
  it('uses the default output when nothing matches', () => {
    const m = model(`<decision id="d" name="d"><variable name="d"/><decisionTable>
      <input><inputExpression><text>1</text></inputExpression></input>
      <output name="o"><defaultOutputEntry><text>"none"</text></defaultOutputEntry></output>
      <rule><inputEntry><text>2</text></inputEntry><outputEntry><text>"two"</text></outputEntry></rule>
    </decisionTable></decision>`);
    expect(value(m, {})).toBe('none');
  });
});

describe('typeRef coercion', () => {
  const m = model(`
    <itemDefinition name="tAge"><typeRef>number</typeRef><allowedValues><text>[0..150]</text></allowedValues></itemDefinition>
    <itemDefinition name="tNames" isCollection="true"><typeRef>string</typeRef></itemDefinition>
    <inputData id="age" name="age"><variable name="age" typeRef="tAge"/></inputData>
    <decision id="one" name="one"><variable name="one" typeRef="string"/><literalExpression><text>["x"]</text></literalExpression></decision>
    <decision id="many" name="many"><variable name="many" typeRef="tNames"/><literalExpression><text>"x"</text></literalExpression></decision>
    <decision id="wrong" name="wrong"><variable name="wrong" typeRef="number"/><literalExpression><text>"x"</text></literalExpression></decision>
    <decision id="echo" name="echo"><variable name="echo"/><informationRequirement><requiredInput href="#age"/></informationRequirement><literalExpression><text>age</text></literalExpression></decision>`);
  it('converts a singleton list to its element and a value to a singleton list', () => {
    expect(value(m, {}, 'one')).toBe('x');
    expect(value(m, {}, 'many')).toEqual(['x']);
  });
  it('turns a type mismatch or a value outside the allowed values into null with a warning', () => {
    const r = evaluateDecision(m, 'wrong', {});
    expect(r.value).toBeNull();
    expect(r.warnings[0]!.type).toBe('TYPE_MISMATCH');
    expect(value(m, { age: 30 }, 'echo')).toBe(30);
    expect(value(m, { age: 200 }, 'echo')).toBeNull();
  });
});

describe('requirements graph', () => {
  it('evaluates required decisions once, before the requested one, and BKMs as functions', () => {
    const m = model(`
      <inputData id="x" name="x"><variable name="x"/></inputData>
      <businessKnowledgeModel id="bkm" name="double it"><variable name="double it"/>
        <encapsulatedLogic><formalParameter name="v"/><literalExpression><text>v * 2</text></literalExpression></encapsulatedLogic></businessKnowledgeModel>
      <decision id="a" name="a"><variable name="a"/><informationRequirement><requiredInput href="#x"/></informationRequirement>
        <knowledgeRequirement><requiredKnowledge href="#bkm"/></knowledgeRequirement><literalExpression><text>double it(x)</text></literalExpression></decision>
      <decision id="b" name="b"><variable name="b"/><informationRequirement><requiredDecision href="#a"/></informationRequirement><literalExpression><text>a + 1</text></literalExpression></decision>
      <decision id="c" name="c"><variable name="c"/><informationRequirement><requiredDecision href="#a"/></informationRequirement>
        <informationRequirement><requiredDecision href="#b"/></informationRequirement><literalExpression><text>a + b</text></literalExpression></decision>
      <decisionService id="s" name="s"><variable name="s"/><outputDecision href="#b"/><inputDecision href="#a"/></decisionService>`);
    const r = evaluateDecision(m, 'c', { x: 5 });
    expect(toJs(r.value)).toBe(21);
    expect(r.evaluatedDecisions.map((d) => d.decisionId)).toEqual(['a', 'b', 'c']);
    expect(toJs(evaluateDecisionService(m, 's', { a: 100 }).value)).toBe(101);
  });
  it('rejects a cycle, naming the decisions in it', () => {
    const r = compileDmnXml(
      dmn(`<decision id="a" name="a"><informationRequirement><requiredDecision href="#b"/></informationRequirement><literalExpression><text>b</text></literalExpression></decision>
           <decision id="b" name="b"><informationRequirement><requiredDecision href="#a"/></informationRequirement><literalExpression><text>a</text></literalExpression></decision>`),
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('cycle: a -> b -> a');
  });
  it('rejects a dangling requirement and never throws on an unknown decision', () => {
    const r = compileDmnXml(dmn(`<decision id="a" name="a"><informationRequirement><requiredDecision href="#zz"/></informationRequirement></decision>`));
    expect(!r.ok && r.message).toContain("'#zz'");
    const m = model(`<decision id="a" name="a"><literalExpression><text>1</text></literalExpression></decision>`);
    expect(evaluateDecision(m, 'nope', {}).failure).toContain("no decision 'nope'");
  });
});
