/**
 * Inputs the fuzzers (test/fuzz/) found to crash a node or to get a wrong answer, pinned
 * against a real `zen start` process: each must be refused with INVALID_ARGUMENT and the node
 * must stay up.
 */
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as b from '../fixtures/bpmn-builder.js';
import { grpcFailure, rawUnary } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;

beforeAll(async () => {
  server = await ZenServer.start();
  const deployed = await deployRest(Buffer.from(b.oneTask('hostile', 'hostile-job')), 'hostile.bpmn');
  expect(deployed.status, deployed.text).toBe(200);
});

afterAll(async () => {
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

async function deployRest(bytes: Buffer, name: string): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.append('resources', new Blob([bytes], { type: 'application/xml' }), name);
  const response = await fetch(`http://127.0.0.1:${server.restPort}/v2/deployments`, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

async function expectAlive(): Promise<void> {
  expect(server.running).toBe(true);
  expect((await server.get('/ready')).status).toBe(200);
  expect(server.errorLogs()).toEqual([]);
}

describe('deeply nested variables', () => {
  it('gRPC: 10,000 levels are refused (they used to overflow the stack while the records were written, and the node exited)', async () => {
    const failure = await grpcFailure(rawUnary(server, 'CreateProcessInstance', { bpmnProcessId: 'hostile', version: -1, variables: `{"v":${nested(10_000)}}` }));
    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details).toContain('nests deeper than 1000 levels');
    await expectAlive();
  });

  it('REST: a body nested 10,000 levels is refused as a problem', async () => {
    const response = await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"processDefinitionId":"hostile","variables":{"v":${nested(10_000)}}}`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ title: 'INVALID_ARGUMENT', detail: expect.stringContaining('nests deeper than 1000 levels') });
    await expectAlive();
  });

  it('REST: variables at the bound are taken and the instance runs', async () => {
    const response = await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"processDefinitionId":"hostile","variables":{"v":${nested(990)}}}`,
    });
    expect(response.status, await response.clone().text()).toBe(200);
    await expectAlive();
  });
});

describe('undecodable gRPC requests', () => {
  it('are INVALID_ARGUMENT (grpc-js would answer INTERNAL, which means a defect of the node)', async () => {
    const client = new Client(server.grpcAddress, credentials.createInsecure());
    try {
      const identity = (bytes: Buffer) => bytes;
      const err = await new Promise<ServiceError | null>((resolve) =>
        client.makeUnaryRequest('/gateway_protocol.Gateway/DeployResource', identity, identity, Buffer.from([133, 102, 175, 106, 243, 7, 227, 72]), new Metadata(), {}, (e: ServiceError | null) => resolve(e)),
      );
      expect(err?.code).toBe(status.INVALID_ARGUMENT);
      expect(err?.details).toMatch(/^Request is not a valid DeployResource request message: /);
    } finally {
      client.close();
    }
    await expectAlive();
  });
});

describe('deployments', () => {
  const valid = Buffer.from(b.oneTask('hostile-utf8', 'job'));
  const broken = Buffer.concat([valid.subarray(0, 22), Buffer.from([0xb9, 0xb7]), valid.subarray(22)]);

  it('REST: bytes that are not UTF-8 are refused (they used to deploy with replacement characters)', async () => {
    const answer = await deployRest(broken, 'broken.bpmn');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ title: 'INVALID_ARGUMENT', detail: expect.stringContaining("Resource 'broken.bpmn' is not valid UTF-8") });
  });

  it('gRPC: the same', async () => {
    const failure = await grpcFailure(rawUnary(server, 'DeployResource', { resources: [{ name: 'broken.bpmn', content: broken }] }));
    expect(failure.code).toBe(status.INVALID_ARGUMENT);
    expect(failure.details).toContain('is not valid UTF-8');
  });

  it('REST: 10,000 nested sub-processes are refused (they used to overflow the stack in the model layer)', async () => {
    let xml = b.model('deep', b.start(), b.end(), ...b.chain('start', 'end'));
    xml = xml.replace('</bpmn:process>', '<bpmn:subProcess id="s">'.repeat(10_000) + '</bpmn:subProcess>'.repeat(10_000) + '</bpmn:process>');
    const answer = await deployRest(Buffer.from(xml), 'deep.bpmn');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ detail: expect.stringContaining('nests elements deeper than 256 levels') });
    await expectAlive();
  });
});
