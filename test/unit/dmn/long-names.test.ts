/** Found by test/fuzz/dmn-xml.test.ts: names of 100,000 characters made every FEEL compilation of the model take seconds. */
import { describe, expect, it } from 'vitest';
import { compileResource } from '../../../src/model/compile.js';
import { dmnDefinitions } from '../../fixtures/dmn-builder.js';

function model(inputName: string, decisionName: string): string {
  return dmnDefinitions(
    'long',
    `<inputData id="x" name="${inputName}"><variable name="${inputName}" typeRef="number"/></inputData>
    <decision id="d" name="${decisionName}"><variable name="${decisionName}" typeRef="number"/>
      <informationRequirement><requiredInput href="#x"/></informationRequirement>
      <decisionTable id="t" hitPolicy="FIRST">
        <input id="i"><inputExpression typeRef="number"><text>x</text></inputExpression></input>
        <output id="o" name="r" typeRef="number"/>
        ${'<rule><inputEntry><text>&gt; 1</text></inputEntry><outputEntry><text>1</text></outputEntry></rule>'.repeat(5)}
      </decisionTable>
    </decision>`,
  );
}

describe('very long names in a DMN model', () => {
  it.each([
    ['plain', 'y'.repeat(100_000)],
    ['with spaces', `long ${'y'.repeat(100_000)} name`],
  ])('compile quickly (%s)', async (_kind, name) => {
    const started = performance.now();
    const result = await compileResource('long.dmn', model(name, name.replace(/^./, 'D')));
    expect(result.ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('names with spaces of ordinary length are still read as one name', async () => {
    const result = await compileResource('spaced.dmn', model('order total', 'Decision'));
    expect(result.ok).toBe(true);
  });
});
