/** Found by test/fuzz/bpmn-xml.test.ts: 10,000 nested sub-processes overflowed the stack at deploy. */
import { describe, expect, it } from 'vitest';
import { compileResource } from '../../../src/model/compile.js';
import { MAX_XML_DEPTH, xmlDepth } from '../../../src/model/xml-depth.js';

const HEAD = '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" isExecutable="true">';
const TAIL = '</bpmn:process></bpmn:definitions>';

function nestedSubProcesses(levels: number): string {
  let open = '';
  for (let i = 0; i < levels; i++) open += `<bpmn:subProcess id="s${i}">`;
  return HEAD + open + '</bpmn:subProcess>'.repeat(levels) + TAIL;
}

describe('xmlDepth', () => {
  it('counts element nesting, not empty elements, comments, CDATA or quoted >', () => {
    expect(xmlDepth('<a/>')).toBe(0);
    expect(xmlDepth('<?xml version="1.0"?><a><b x="a>b"/><c><!-- <d> --><![CDATA[<e>]]></c></a>')).toBe(2);
    expect(xmlDepth('<a><b><c></c></b><b></b></a>')).toBe(3);
  });

  it('stops once past the limit', () => {
    expect(xmlDepth('<a>'.repeat(100_000), 10)).toBe(11);
  });

  it('tolerates truncated documents', () => {
    expect(xmlDepth('<a><b x="unterminated')).toBe(1);
    expect(xmlDepth('<a><!-- never closed')).toBe(1);
  });
});

describe('deep documents', () => {
  it('refuses 10,000 nested sub-processes with a clear message instead of overflowing the stack', async () => {
    const result = await compileResource('deep.bpmn', nestedSubProcesses(10_000));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toBe(`Resource 'deep.bpmn' nests elements deeper than ${MAX_XML_DEPTH} levels, which is not allowed`);
  });

  it('refuses deep DMN documents the same way', async () => {
    const dmn = '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="n">' + '<x>'.repeat(5000) + '</x>'.repeat(5000) + '</definitions>';
    const result = await compileResource('deep.dmn', dmn);
    expect(result).toMatchObject({ ok: false, errors: [{ message: expect.stringContaining('nests elements deeper than') }] });
  });

  it('still reads nesting up to the limit (the compiler reports the model, not the depth)', async () => {
    const result = await compileResource('ok.bpmn', nestedSubProcesses(MAX_XML_DEPTH - 3));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toContain('none start event');
  });
});
