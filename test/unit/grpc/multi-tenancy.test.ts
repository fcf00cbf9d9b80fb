/** The gateway with --multi-tenancy: tenants pass to the node, ids are checked as Zeebe does, refusals map to PERMISSION_DENIED. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import type { ActivateJobsRequest, CreateInstanceRequest, DeployRequest, PublishMessageRequest } from '../../../src/node/api.js';
import { collect, rawClient, rawStream, rawUnary, rejection, sdkClient, startGateway, type Gateway, type RawClient } from './harness.js';

let gw: Gateway;
let zeebe: ReturnType<typeof sdkClient>;
let raw: RawClient;

beforeAll(async () => {
  gw = await startGateway({ multiTenancy: true });
  zeebe = sdkClient(gw.port);
  raw = rawClient(gw.address);
});

afterAll(async () => {
  await zeebe.close();
  raw.close();
  await gw.server.shutdown(1_000);
});

describe('gRPC gateway with multi-tenancy', () => {
  it('hands the named tenant to the node and answers with it; a blank tenant is the default one', async () => {
    const created = await zeebe.createProcessInstance({ bpmnProcessId: 'order', variables: {}, tenantId: 'acme' });
    expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance').tenantId).toBe('acme');
    expect(created.tenantId).toBe('acme');
    await rawUnary(raw, 'DeployResource', { resources: [{ name: 'a.bpmn', content: Buffer.from('x') }], tenantId: 'acme.eu-1' });
    expect(gw.api.lastArg<DeployRequest>('deploy').tenantId).toBe('acme.eu-1');
    await rawUnary(raw, 'PublishMessage', { name: 'm', tenantId: '' });
    expect(gw.api.lastArg<PublishMessageRequest>('publishMessage').tenantId).toBe('<default>');
  });

  it('activates for the tenants named, each once; none named is the default tenant', async () => {
    await collect(rawStream(raw, 'ActivateJobs', { type: 't', timeout: '1000', maxJobsToActivate: 1, requestTimeout: '-1', tenantIds: ['b', 'a', 'b'] }));
    expect(gw.api.lastArg<ActivateJobsRequest>('activateJobs').tenantIds).toEqual(['b', 'a']);
    await collect(rawStream(raw, 'ActivateJobs', { type: 't', timeout: '1000', maxJobsToActivate: 1, requestTimeout: '-1' }));
    expect(gw.api.lastArg<ActivateJobsRequest>('activateJobs').tenantIds).toEqual(['<default>']);
  });

  it("refuses ids Zeebe refuses, in Zeebe's words", async () => {
    const tooLong = 'a'.repeat(32);
    expect(await rejection(rawUnary(raw, 'BroadcastSignal', { signalName: 's', tenantId: tooLong }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: `Expected to handle gRPC request BroadcastSignal with tenant identifier '${tooLong}', but tenant identifier is longer than 31 characters`,
    });
    expect(await rejection(rawUnary(raw, 'EvaluateDecision', { decisionId: 'd', tenantId: 'tenant!@#' }))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: "Expected to handle gRPC request EvaluateDecision with tenant identifier 'tenant!@#', but tenant identifier contains illegal characters",
    });
  });

  it('answers a tenant the caller may not use with PERMISSION_DENIED naming it', async () => {
    gw.api.failNext('createProcessInstance', new ZenError('FORBIDDEN', "Expected to handle request CreateProcessInstance with tenant identifier 'other', but tenant is not authorized to perform this request"));
    expect(await rejection(zeebe.createProcessInstance({ bpmnProcessId: 'order', variables: {}, tenantId: 'other' }))).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: expect.stringContaining("tenant identifier 'other'"),
    });
  });
});
