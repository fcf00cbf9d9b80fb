/** POST /v2/deployments: multipart/form-data parsing, limits and mapping. */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeployRequest } from '../../../src/node/api.js';
import { parseMultipart } from '../../../src/api/rest/multipart.js';
import { KEYS } from '../../support/fake-api.js';
import { closeAll, harness, multipart } from './harness.js';

afterEach(closeAll);

const BPMN_A = '<?xml version="1.0"?><definitions id="a"/>';
const BPMN_B = Buffer.from([0x3c, 0x78, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d, 0x3e]); // binary-safe: NUL, 0xff, CRLF--

async function deploy(body: { payload: Buffer; headers: Record<string, string> }, limits = {}) {
  const h = harness({ limits });
  const res = await h.server.app.inject({ method: 'POST', url: '/v2/deployments', ...body });
  return { ...h, res };
}

function detailOf(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }): string {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return (res.json() as { detail: string }).detail;
}

describe('POST /v2/deployments', () => {
  it('deploys one resource and answers Camunda 8.8 shape', async () => {
    const { res, api } = await deploy(multipart([{ name: 'resources', filename: 'order.bpmn', content: BPMN_A, contentType: 'application/xml' }]));
    expect(res.statusCode).toBe(200);
    const req = api.lastArg<DeployRequest>('deploy');
    expect(req.tenantId).toBe('<default>');
    expect(req.resources.map((r) => [r.name, r.content.toString()])).toEqual([['order.bpmn', BPMN_A]]);
    expect(res.json()).toEqual({
      deploymentKey: String(KEYS.deployment),
      tenantId: '<default>',
      deployments: [
        {
          processDefinition: {
            processDefinitionId: 'order',
            processDefinitionVersion: 1,
            resourceName: 'order.bpmn',
            tenantId: '<default>',
            processDefinitionKey: String(KEYS.processDefinition),
          },
        },
      ],
    });
  });

  it('lists decision definitions and decision requirements of a .dmn resource', async () => {
    const { res } = await deploy(multipart([{ name: 'resources', filename: 'pricing.dmn', content: '<definitions/>' }]));
    expect(res.statusCode).toBe(200);
    const drgKey = String(KEYS.processDefinition + 100n);
    expect(res.json().deployments).toEqual([
      {
        decisionDefinition: {
          decisionDefinitionId: 'pricing',
          version: 1,
          name: 'Decision',
          tenantId: '<default>',
          decisionRequirementsId: 'pricing-drg',
          decisionDefinitionKey: String(KEYS.processDefinition + 200n),
          decisionRequirementsKey: drgKey,
        },
      },
      {
        decisionRequirements: {
          decisionRequirementsId: 'pricing-drg',
          version: 1,
          decisionRequirementsName: 'Decisions',
          tenantId: '<default>',
          resourceName: 'pricing.dmn',
          decisionRequirementsKey: drgKey,
        },
      },
    ]);
  });

  it('deploys two resources in order, bytes intact, with the default tenant given explicitly', async () => {
    const { res, api } = await deploy(
      multipart([
        { name: 'resources', filename: 'a.bpmn', content: BPMN_A },
        { name: 'tenantId', content: '<default>' },
        { name: 'resources', filename: 'b.bpmn', content: BPMN_B, contentType: 'application/octet-stream' },
      ]),
    );
    expect(res.statusCode).toBe(200);
    const req = api.lastArg<DeployRequest>('deploy');
    expect(req.resources.map((r) => r.name)).toEqual(['a.bpmn', 'b.bpmn']);
    expect(req.resources[1]!.content.equals(BPMN_B)).toBe(true);
    expect(res.json().deployments.map((d: { processDefinition: { processDefinitionKey: string } }) => d.processDefinition.processDefinitionKey)).toEqual([
      String(KEYS.processDefinition),
      String(KEYS.processDefinition + 1n),
    ]);
  });

  it('takes every file part as a resource, whatever its field name', async () => {
    const { res, api } = await deploy(multipart([{ name: 'file', filename: 'x.bpmn', content: BPMN_A }]));
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<DeployRequest>('deploy').resources.map((r) => r.name)).toEqual(['x.bpmn']);
  });

  it('reads RFC 8187 filename* and backslash escapes in quoted filenames', async () => {
    const boundary = 'b0undary';
    const payload = Buffer.from(
      [
        `--${boundary}`,
        `Content-Disposition: form-data; name="resources"; filename="fallback.bpmn"; filename*=UTF-8''%C3%BCber%20prozess.bpmn`,
        '',
        BPMN_A,
        `--${boundary}`,
        'content-disposition: form-data; name=resources; filename="say \\"hi\\".bpmn"',
        '',
        BPMN_A,
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const { res, api } = await deploy({ payload, headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` } });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<DeployRequest>('deploy').resources.map((r) => r.name)).toEqual(['über prozess.bpmn', 'say "hi".bpmn']);
  });

  it('ignores a preamble and an epilogue', async () => {
    const { payload, headers } = multipart([{ name: 'resources', filename: 'a.bpmn', content: BPMN_A }], 'xyz');
    const { res } = await deploy({
      payload: Buffer.concat([Buffer.from('This is a preamble.\r\n'), payload, Buffer.from('epilogue')]),
      headers,
    });
    expect(res.statusCode).toBe(200);
  });

  it('rejects a tenant other than the default, like the gRPC gateway', async () => {
    const { res, api } = await deploy(
      multipart([
        { name: 'resources', filename: 'a.bpmn', content: BPMN_A },
        { name: 'tenantId', content: 'acme' },
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(detailOf(res)).toBe(
      "Expected to handle request Deploy resources with tenant identifier 'acme', but multi-tenancy is disabled",
    );
    expect(api.calls).toHaveLength(0);
  });

  it('rejects more resources than maxResourcesPerDeployment, naming the limit', async () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ name: 'resources', filename: `p${i}.bpmn`, content: BPMN_A }));
    const { res, api } = await deploy(multipart(files), { maxResourcesPerDeployment: 3 });
    expect(res.statusCode).toBe(400);
    expect(detailOf(res)).toBe('Expected to deploy at most 3 resources (maxResourcesPerDeployment), but 4 were given');
    expect(api.calls).toHaveLength(0);
  });

  it('stops parsing far past the resource limit', async () => {
    const files = Array.from({ length: 50 }, (_, i) => ({ name: 'resources', filename: `p${i}.bpmn`, content: 'x' }));
    const { res } = await deploy(multipart(files), { maxResourcesPerDeployment: 3 });
    expect(res.statusCode).toBe(400);
    expect(detailOf(res)).toBe('Expected to deploy at most 3 resources (maxResourcesPerDeployment), but more were given');
  });

  it('answers 413 naming maxMessageSize for a body over the limit', async () => {
    const { res, api } = await deploy(
      multipart([{ name: 'resources', filename: 'big.bpmn', content: Buffer.alloc(8192, 0x61) }]),
      { maxMessageSize: 4096 },
    );
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ title: 'PAYLOAD_TOO_LARGE', status: 413, instance: '/v2/deployments' });
    expect(detailOf(res)).toBe('Request body is larger than the limit of 4096 bytes (maxMessageSize)');
    expect(api.calls).toHaveLength(0);
  });

  it.each([
    ['no resources', multipart([{ name: 'tenantId', content: '<default>' }]), 'Expected to deploy at least one resource, but none given'],
    ['an empty form', multipart([]), 'Expected to deploy at least one resource, but none given'],
    [
      'a resources field without a filename',
      multipart([{ name: 'resources', content: BPMN_A }]),
      "Form field 'resources' must be a file part with a filename; the filename becomes the resource name",
    ],
    ['a blank filename', multipart([{ name: 'resources', filename: ' ', content: BPMN_A }]), "Resource 1 (form field 'resources') has a blank filename; the filename is the resource name"],
    [
      'an unknown text field',
      multipart([{ name: 'resources', filename: 'a.bpmn', content: BPMN_A }, { name: 'color', content: 'red' }]),
      "Unexpected form field 'color'; expected 'resources' file parts and an optional 'tenantId'",
    ],
    [
      'two tenantId fields',
      multipart([{ name: 'resources', filename: 'a.bpmn', content: BPMN_A }, { name: 'tenantId', content: '' }, { name: 'tenantId', content: '' }]),
      "Form field 'tenantId' was given more than once",
    ],
  ])('rejects %s', async (_name, body, detail) => {
    const { res, api } = await deploy(body);
    expect(res.statusCode).toBe(400);
    expect(detailOf(res)).toBe(detail);
    expect(api.calls).toHaveLength(0);
  });

  it.each([
    ['no boundary parameter', 'multipart/form-data', 'x', 'the Content-Type header has no boundary parameter'],
    ['a boundary too long', `multipart/form-data; boundary=${'b'.repeat(71)}`, 'x', 'is not a valid RFC 2046 boundary'],
    ['a body without the boundary', 'multipart/form-data; boundary=abc', 'just some bytes', "the body does not contain the boundary 'abc'"],
    [
      'a truncated body',
      'multipart/form-data; boundary=abc',
      '--abc\r\nContent-Disposition: form-data; name="resources"; filename="a.bpmn"\r\n\r\n<xml',
      'part 1 is not followed by a boundary (truncated body?)',
    ],
    [
      'no closing boundary',
      'multipart/form-data; boundary=abc',
      '--abc\r\nContent-Disposition: form-data; name="resources"; filename="a.bpmn"\r\n\r\n<xml/>\r\n--abc',
      'the body ends without the closing boundary',
    ],
    ['headers without an end', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="x"', 'the headers of part 1 do not end with an empty line'],
    ['a part without Content-Disposition', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Type: text/xml\r\n\r\n<xml/>\r\n--abc--', "part 1 has no 'Content-Disposition: form-data' header"],
    ['a part without a field name', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; filename="a"\r\n\r\n<xml/>\r\n--abc--', 'part 1 has no field name'],
    ['a header line without a name', 'multipart/form-data; boundary=abc', '--abc\r\nnonsense\r\n\r\n<xml/>\r\n--abc--', 'part 1 has a header line without a name'],
    ['an unclosed quoted parameter', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; filename="a"; name="resources\r\n\r\nx\r\n--abc--', "the quoted value of parameter 'name' is not closed"],
    ['base64 transfer encoding', 'multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="resources"; filename="a"\r\nContent-Transfer-Encoding: base64\r\n\r\nPHg+\r\n--abc--', "uses Content-Transfer-Encoding 'base64'"],
    ['garbage after a boundary', 'multipart/form-data; boundary=abc', '--abcdef\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--abc--', 'a boundary is not followed by a line break'],
  ])('rejects a malformed body: %s', async (_name, contentType, body, detail) => {
    const { res, api } = await deploy({ payload: Buffer.from(body), headers: { 'content-type': contentType } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ title: 'INVALID_ARGUMENT', status: 400, instance: '/v2/deployments' });
    expect(detailOf(res)).toContain(detail);
    expect(detailOf(res)).toMatch(/^Malformed multipart\/form-data body: /);
    expect(api.calls).toHaveLength(0);
  });

  it('rejects a JSON body with the content type it expects', async () => {
    const h = harness();
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/v2/deployments',
      payload: '{"resources":[]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(detailOf(res)).toBe("Expected a multipart/form-data body, but the content type was 'application/json'");
  });

  it('multipart is only accepted by deployments', async () => {
    const h = harness();
    const res = await h.server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      ...multipart([{ name: 'name', content: 'm' }]),
    });
    expect(res.statusCode).toBe(415);
  });
});

describe('parseMultipart', () => {
  const limits = { maxParts: 10, tooManyParts: () => new Error('too many'), maxHeaderBytes: 256 };

  it('keeps content that contains the boundary text without the leading line break', () => {
    const body = Buffer.from('--abc\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\nx--abc y\r\n--abc--');
    const [part] = parseMultipart(body, 'abc', limits);
    expect(part!.data.toString()).toBe('x--abc y');
  });

  it('accepts a part with no headers but reports it has no disposition', () => {
    const body = Buffer.from('--abc\r\n\r\ncontent\r\n--abc--');
    expect(() => parseMultipart(body, 'abc', limits)).toThrow("part 1 has no 'Content-Disposition: form-data' header");
  });

  it('allows transport padding after a boundary and empty content', () => {
    const body = Buffer.from('--abc  \r\nContent-Disposition: form-data; name="f"\r\n\r\n\r\n--abc--\r\n');
    const parts = parseMultipart(body, 'abc', limits);
    expect(parts).toEqual([{ name: 'f', filename: null, contentType: null, data: Buffer.alloc(0) }]);
  });

  it('bounds the header block of a part', () => {
    const body = Buffer.from(`--abc\r\nContent-Disposition: form-data; name="f"\r\nX-Pad: ${'p'.repeat(300)}\r\n\r\nx\r\n--abc--`);
    expect(() => parseMultipart(body, 'abc', limits)).toThrow('the headers of part 1 are longer than 256 bytes');
  });

  it('bounds the number of parts', () => {
    const one = '--abc\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n';
    const body = Buffer.from(`${one.repeat(11)}--abc--`);
    expect(() => parseMultipart(body, 'abc', limits)).toThrow('too many');
  });
});

describe('POST /v2/decision-definitions/evaluation', () => {
  const evaluate = async (body: unknown) => {
    const h = harness();
    const res = await h.server.app.inject({ method: 'POST', url: '/v2/decision-definitions/evaluation', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    return { ...h, res };
  };

  it('evaluates by id and answers in Camunda shape', async () => {
    const { res, api } = await evaluate({ decisionDefinitionId: 'pricing', variables: { expected: 'ok' } });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg('evaluateDecision')).toMatchObject({ decisionId: 'pricing', decisionKey: null, variables: { expected: 'ok' }, tenantId: '<default>' });
    const body = res.json();
    expect(body).toMatchObject({
      decisionDefinitionId: 'pricing',
      decisionDefinitionVersion: 1,
      output: '"ok"',
      failedDecisionDefinitionId: '',
      failureMessage: '',
      decisionDefinitionKey: String(KEYS.processDefinition + 200n),
      decisionRequirementsKey: String(KEYS.processDefinition + 100n),
    });
    expect(body.decisionEvaluationKey).toBe(body.decisionInstanceKey);
    expect(body.evaluatedDecisions[0]).toMatchObject({
      decisionDefinitionType: 'DECISION_TABLE',
      output: '"ok"',
      matchedRules: [{ ruleId: 'r1', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'out1', outputName: 'o', outputValue: '"ok"' }] }],
      evaluatedInputs: [{ inputId: 'in1', inputName: 'Expected', inputValue: '"ok"' }],
    });
  });

  it('evaluates by key; neither or both is 400', async () => {
    const { res, api } = await evaluate({ decisionDefinitionKey: '2251799813685300' });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg('evaluateDecision')).toMatchObject({ decisionKey: 2251799813685300n, decisionId: null });
    expect((await evaluate({ variables: {} })).res.statusCode).toBe(400);
    expect((await evaluate({ decisionDefinitionId: 'a', decisionDefinitionKey: '2251799813685300' })).res.statusCode).toBe(400);
  });
});
