import { describe, expect, it } from 'vitest';
import { guardXml } from '../../../src/model/xml-guard.js';
import { bpmn, compileErrors, compileProcess, expectError, START } from './bpmn-fixtures.js';

const XXE = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" name="&xxe;" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>
</bpmn:definitions>`;

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>`;

describe('guardXml', () => {
  it('accepts UTF-8 text and strips a byte order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a/>')]);
    expect(guardXml('a.bpmn', withBom)).toEqual({ ok: true, text: '<a/>' });
    expect(guardXml('a.bpmn', '\uFEFF<a/>')).toEqual({ ok: true, text: '<a/>' });
  });

  it('refuses DOCTYPE declarations (XXE)', () => {
    const result = guardXml('evil.bpmn', XXE);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/DOCTYPE declaration, which is not allowed/);
  });

  it('refuses entity declarations (billion laughs)', () => {
    expect(guardXml('evil.bpmn', LAUGHS)).toMatchObject({ ok: false });
    expect(guardXml('evil.bpmn', '<a><!ENTITY x "y"></a>')).toMatchObject({
      ok: false,
      message: expect.stringContaining('ENTITY declaration'),
    });
  });

  it.each([
    ['empty', '', 'is empty'],
    ['blank', '  \n ', 'is empty'],
    ['binary', Buffer.from([0x3c, 0x61, 0x00, 0x3e]), 'NUL characters'],
    ['invalid UTF-8', Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0x3e]), 'is not valid UTF-8'],
    ['UTF-16', Buffer.from('\uFEFF<a/>', 'utf16le'), 'only UTF-8 is supported'],
    ['not XML', 'process: yes', 'is not an XML document'],
  ])('refuses %s content', (_name, content, fragment) => {
    const result = guardXml('x.bpmn', content);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining(fragment) });
    if (!result.ok) expect(result.message).toContain("'x.bpmn'");
  });
});

describe('compileBpmn on unsafe or broken documents', () => {
  it('rejects XXE before parsing', async () => {
    await expectError(XXE, null, 'DOCTYPE declaration');
  });

  it('reports malformed XML with the parser message and position', async () => {
    const errors = await compileErrors('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<bpmn:process id="p">\n</bpmn:definitions>');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Failed to parse resource 'test.bpmn' as BPMN XML: closing tag mismatch .*\(line 3, column 1\)$/);
  });

  it('reports a document that is not BPMN', async () => {
    await expectError('<?xml version="1.0"?><foo xmlns="urn:x"/>', null, 'is not a BPMN document');
  });

  it('tells a DMN document deployed under a BPMN name where it belongs', async () => {
    const dmn = '<?xml version="1.0"?><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="n" namespace="x"/>';
    const sameAsXml = await compileErrors(dmn, 'decision.xml');
    expect(sameAsXml[0]!.message).toContain("is a DMN document; deploy it under a name ending in '.dmn'");
  });

  it('accepts a Buffer', async () => {
    const process = await compileProcess(bpmn(START) as string);
    expect(process.id).toBe('p');
    const fromBuffer = await compileErrors(Buffer.from([0xff, 0x00]));
    expect(fromBuffer[0]!.message).toContain('test.bpmn');
  });
});
