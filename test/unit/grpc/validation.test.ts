/** Input the adapter must refuse before the node sees it, with a status and a message naming the field. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateInstanceRequest } from '../../../src/node/api.js';
import {
  collect,
  rawClient,
  rawStream,
  rawUnary,
  rejection,
  sdkClient,
  startGateway,
  type Gateway,
  type RawClient,
} from './harness.js';

let gw: Gateway;
let zeebe: ReturnType<typeof sdkClient>;
let raw: RawClient;

beforeAll(async () => {
  gw = await startGateway({ maxResourcesPerDeployment: 3 });
  zeebe = sdkClient(gw.port);
  raw = rawClient(gw.address);
});

afterAll(async () => {
  await zeebe.close();
  raw.close();
  await gw.server.shutdown(1_000);
});

const invalidArgument = (details: string | RegExp) => ({
  code: status.INVALID_ARGUMENT,
  details: typeof details === 'string' ? expect.stringContaining(details) : expect.stringMatching(details),
});

describe('variables', () => {
  it.each([
    ['[1,2]', 'ARRAY'],
    ['42', 'INTEGER'],
    ['4.2', 'FLOAT'],
    ['"text"', 'STRING'],
    ['true', 'BOOLEAN'],
  ])('rejects a document that is not an object: %s', async (variables, kind) => {
    const err = await rejection(rawUnary(raw, 'CreateProcessInstance', { bpmnProcessId: 'order', variables }));
    expect(err).toMatchObject(
      invalidArgument(`Property 'variables' is invalid: Expected document to be a root level object, but was '${kind}'`),
    );
  });

  it('rejects text that is not JSON', async () => {
    const err = await rejection(rawUnary(raw, 'CompleteJob', { jobKey: '2251799813685253', variables: '{"a":' }));
    expect(err).toMatchObject(invalidArgument("Property 'variables' is invalid: expected a JSON object, but it is not valid JSON"));
  });

  it.each(['', '   ', 'null'])('treats %j as no variables, as Zeebe does', async (variables) => {
    await rawUnary(raw, 'CreateProcessInstance', { bpmnProcessId: 'order', variables });
    expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance').variables).toEqual({});
  });

  it('is enforced for documents the SDK passes through as strings', async () => {
    const err = await rejection(zeebe.setVariables({ elementInstanceKey: '2251799813685254', variables: '[1]' as never, local: false }));
    expect(err).toMatchObject(invalidArgument("Property 'variables' is invalid"));
  });
});

describe('keys', () => {
  it('rejects an unset key (0) naming the field', async () => {
    const err = await rejection(rawUnary(raw, 'CompleteJob', { jobKey: '0' }));
    expect(err).toMatchObject(invalidArgument("Property 'jobKey' is invalid: expected a key greater than 0, but it was '0'"));
  });

  it('rejects a negative key naming the field', async () => {
    const err = await rejection(rawUnary(raw, 'CancelProcessInstance', { processInstanceKey: '-5' }));
    expect(err).toMatchObject(invalidArgument("Property 'processInstanceKey' is invalid"));
  });

  it('needs a process id or a process definition key to create an instance', async () => {
    const err = await rejection(rawUnary(raw, 'CreateProcessInstance', {}));
    expect(err).toMatchObject(invalidArgument("'bpmnProcessId' or 'processDefinitionKey'"));
  });

  it('treats a negative process definition key as unset, like Zeebe', async () => {
    await rawUnary(raw, 'CreateProcessInstance', { bpmnProcessId: 'order', processDefinitionKey: '-1' });
    expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance')).toMatchObject({
      bpmnProcessId: 'order',
      processDefinitionKey: null,
    });
  });
});

describe('required fields and ranges', () => {
  const activate = { type: 'payment', worker: 'w', timeout: '1000', maxJobsToActivate: 1, requestTimeout: '-1' };

  it.each([
    [{ type: '' }, "Property 'type' is invalid"],
    [{ maxJobsToActivate: 0 }, "Property 'maxJobsToActivate' is invalid: expected a value greater than zero, but it was '0'"],
    [{ timeout: '0' }, "Property 'timeout' is invalid: expected a job timeout greater than zero, but it was '0'"],
  ])('ActivateJobs rejects %j', async (override, message) => {
    const err = await rejection(collect(rawStream(raw, 'ActivateJobs', { ...activate, ...override })));
    expect(err).toMatchObject(invalidArgument(message));
  });

  it('PublishMessage needs a name', async () => {
    const err = await rejection(zeebe.publishMessage({ name: '', correlationKey: 'k', variables: {} }));
    expect(err).toMatchObject(invalidArgument("Property 'name' is invalid"));
  });

  it('PublishMessage refuses a negative time to live', async () => {
    const err = await rejection(rawUnary(raw, 'PublishMessage', { name: 'm', timeToLive: '-1' }));
    expect(err).toMatchObject(invalidArgument("Property 'timeToLive' is invalid"));
  });

  it('ThrowError needs an error code', async () => {
    const err = await rejection(rawUnary(raw, 'ThrowError', { jobKey: '2251799813685253', errorCode: '' }));
    expect(err).toMatchObject(invalidArgument("Property 'errorCode' is invalid"));
  });

  it('UpdateJobRetries needs retries above 0, while FailJob takes 0', async () => {
    const err = await rejection(rawUnary(raw, 'UpdateJobRetries', { jobKey: '2251799813685253', retries: 0 }));
    expect(err).toMatchObject(invalidArgument("Property 'retries' is invalid: expected retries greater than 0, but it was '0'"));
    await rawUnary(raw, 'FailJob', { jobKey: '2251799813685253', retries: 0 });
  });

  it('CreateProcessInstanceWithResult needs its inner request', async () => {
    const err = await rejection(rawUnary(raw, 'CreateProcessInstanceWithResult', { requestTimeout: '1000' }));
    expect(err).toMatchObject(invalidArgument("Property 'request' is invalid"));
  });

  it('start instructions reach the node as element ids', async () => {
    await zeebe.createProcessInstance({ bpmnProcessId: 'order', variables: {}, startInstructions: [{ elementId: 'task' }, { elementId: 'other' }] });
    expect(gw.api.lastArg<{ startInstructions: string[] }>('createProcessInstance').startInstructions).toEqual(['task', 'other']);
  });
});

describe('deployments', () => {
  it('refuses a deployment without resources', async () => {
    const err = await rejection(zeebe.deployResources([]));
    expect(err).toMatchObject(invalidArgument('Expected to deploy at least one resource, but none given'));
  });

  it('refuses more resources than maxResourcesPerDeployment, naming the limit', async () => {
    const resources = ['a', 'b', 'c', 'd'].map((n) => ({ process: Buffer.from('<x/>'), name: `${n}.bpmn` }));
    const err = await rejection(zeebe.deployResources(resources));
    expect(err).toMatchObject(
      invalidArgument('Expected to deploy at most 3 resources (maxResourcesPerDeployment), but 4 were given'),
    );
  });

  it('refuses a resource without a name', async () => {
    const err = await rejection(rawUnary(raw, 'DeployResource', { resources: [{ name: '', content: Buffer.from('x') }] }));
    expect(err).toMatchObject(invalidArgument("Property 'resources[0].name' is invalid"));
  });
});

describe('tenants (multi-tenancy disabled, as in a default Zeebe)', () => {
  it('accepts <default> and blank', async () => {
    await zeebe.createProcessInstance({ bpmnProcessId: 'order', variables: {}, tenantId: '<default>' });
    await rawUnary(raw, 'CreateProcessInstance', { bpmnProcessId: 'order', tenantId: '' });
    expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance').tenantId).toBe('<default>');
  });

  it("rejects any other tenant with Zeebe's message", async () => {
    const err = await rejection(zeebe.createProcessInstance({ bpmnProcessId: 'order', variables: {}, tenantId: 'acme' }));
    expect(err).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details:
        "Expected to handle gRPC request CreateProcessInstance with tenant identifier 'acme', but multi-tenancy is disabled",
    });
  });

  it('checks every RPC that carries a tenant', async () => {
    const cases: [string, object][] = [
      ['DeployResource', { resources: [{ name: 'a.bpmn', content: Buffer.from('x') }], tenantId: 'acme' }],
      ['PublishMessage', { name: 'm', tenantId: 'acme' }],
      ['CreateProcessInstanceWithResult', { request: { bpmnProcessId: 'order', tenantId: 'acme' } }],
    ];
    for (const [rpc, request] of cases) {
      const err = await rejection(rawUnary(raw, rpc, request));
      expect(err, rpc).toMatchObject(invalidArgument(`Expected to handle gRPC request ${rpc} with tenant identifier 'acme'`));
    }
  });

  it('checks tenantIds of ActivateJobs and StreamActivatedJobs', async () => {
    const activate = { type: 't', timeout: '1000', maxJobsToActivate: 1, requestTimeout: '-1', tenantIds: ['<default>', 'acme'] };
    const err = await rejection(collect(rawStream(raw, 'ActivateJobs', activate)));
    expect(err).toMatchObject(invalidArgument("Expected to handle gRPC request ActivateJobs with tenant identifier 'acme'"));

    const streamErr = await rejection(collect(rawStream(raw, 'StreamActivatedJobs', { type: 't', timeout: '1000', tenantIds: ['acme'] })));
    expect(streamErr).toMatchObject(
      invalidArgument("Expected to handle gRPC request StreamActivatedJobs with tenant identifier 'acme'"),
    );
  });
});
