/**
 * Every implemented RPC, driven by the real @camunda8/sdk client: what the node receives and
 * what the client gets back. Keys are above 2^53 throughout, so exactness is checked everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ActivateJobsRequest,
  CreateInstanceRequest,
  CreateInstanceWithResultRequest,
  DeployRequest,
  FailJobRequest,
  MigrateInstanceRequest,
  ModifyInstanceRequest,
  PublishMessageRequest,
  SetVariablesRequest,
  ThrowErrorRequest,
} from '../../../src/node/api.js';
import { KEYS, makeJob } from '../../support/fake-api.js';
import { rawClient, rawUnary, sdkClient, startGateway, type Gateway, type RawClient } from './harness.js';

let gw: Gateway;
let zeebe: ReturnType<typeof sdkClient>;
let raw: RawClient;

beforeAll(async () => {
  gw = await startGateway();
  zeebe = sdkClient(gw.port);
  raw = rawClient(gw.address);
});

afterAll(async () => {
  await zeebe.close();
  raw.close();
  await gw.server.shutdown(1_000);
});

describe('Topology', () => {
  it('maps brokers, partition roles and health by their proto enum names', async () => {
    const topology = await zeebe.topology();
    expect(topology).toEqual({
      brokers: [
        {
          nodeId: 0,
          host: '127.0.0.1',
          port: 26501,
          version: '0.1.0',
          partitions: [
            { partitionId: 1, role: 'LEADER', health: 'HEALTHY' },
            { partitionId: 2, role: 'FOLLOWER', health: 'UNHEALTHY' },
            { partitionId: 3, role: 'INACTIVE', health: 'DEAD' },
          ],
        },
      ],
      clusterSize: 1,
      partitionsCount: 3,
      replicationFactor: 1,
      gatewayVersion: '0.1.0',
    });
  });
});

describe('DeployResource', () => {
  it('passes resources and the default tenant, and answers with exact keys', async () => {
    const xml = Buffer.from('<definitions id="d"/>');
    const response = await zeebe.deployResource({ process: xml, name: 'order.bpmn' });

    const req = gw.api.lastArg<DeployRequest>('deploy');
    expect(req.tenantId).toBe('<default>');
    expect(req.resources).toHaveLength(1);
    expect(req.resources[0]!.name).toBe('order.bpmn');
    expect(Buffer.compare(req.resources[0]!.content, xml)).toBe(0);

    expect(response.key).toBe('2251799813685249');
    expect(response.tenantId).toBe('<default>');
    expect(response.deployments).toEqual([
      {
        Metadata: 'process',
        process: {
          bpmnProcessId: 'order',
          version: 1,
          processDefinitionKey: '2251799813685250',
          resourceName: 'order.bpmn',
          tenantId: '<default>',
        },
      },
    ]);
  });

  it('deploys several resources in one call', async () => {
    const response = await zeebe.deployResources([
      { process: Buffer.from('<a/>'), name: 'a.bpmn' },
      { process: Buffer.from('<b/>'), name: 'b.bpmn' },
    ]);
    expect(gw.api.lastArg<DeployRequest>('deploy').resources.map((r) => r.name)).toEqual(['a.bpmn', 'b.bpmn']);
    const deployments = response.deployments as { process: { processDefinitionKey: string } }[];
    expect(deployments.map((d) => d.process.processDefinitionKey)).toEqual([
      '2251799813685250',
      '2251799813685251',
    ]);
  });

  it('still serves the deprecated DeployProcess', async () => {
    const response = await rawUnary(raw, 'DeployProcess', {
      processes: [{ name: 'old.bpmn', definition: Buffer.from('<x/>') }],
    });
    expect(gw.api.lastArg<DeployRequest>('deploy')).toMatchObject({ tenantId: '<default>' });
    expect(response).toEqual({
      key: '2251799813685249',
      processes: [
        {
          bpmnProcessId: 'old',
          version: 1,
          processDefinitionKey: '2251799813685250',
          resourceName: 'old.bpmn',
          tenantId: '<default>',
        },
      ],
    });
  });
});

describe('process instances', () => {
  it('CreateProcessInstance by BPMN process id', async () => {
    const response = await zeebe.createProcessInstance({ bpmnProcessId: 'order', variables: { amount: 42, tags: ['a'] } });
    expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance')).toEqual({
      bpmnProcessId: 'order',
      processDefinitionKey: null,
      version: -1,
      variables: { amount: 42, tags: ['a'] },
      tenantId: '<default>',
    });
    expect(response).toEqual({
      processDefinitionKey: '2251799813685250',
      bpmnProcessId: 'order',
      version: 3,
      processInstanceKey: '2251799813685251',
      tenantId: '<default>',
    });
  });

  it('CreateProcessInstance by process definition key keeps the key exact', async () => {
    await rawUnary(raw, 'CreateProcessInstance', {
      processDefinitionKey: '2251799813685299',
      bpmnProcessId: 'ignored-when-key-is-given',
      version: 7,
    });
    expect(gw.api.lastArg<CreateInstanceRequest>('createProcessInstance')).toMatchObject({
      processDefinitionKey: 2251799813685299n,
      bpmnProcessId: null,
      variables: {},
    });
  });

  it('CreateProcessInstanceWithResult: default timeout, explicit timeout, fetchVariables', async () => {
    const result = await zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'order',
      variables: { amount: 1 },
      fetchVariables: ['amount', 'done'],
    });
    const first = gw.api.lastArg<CreateInstanceWithResultRequest>('createProcessInstanceWithResult');
    expect(first.requestTimeoutMs).toBe(15_000);
    expect(first.fetchVariables).toEqual(['amount', 'done']);
    expect(result).toMatchObject({
      processInstanceKey: '2251799813685251',
      processDefinitionKey: '2251799813685250',
      variables: { amount: 1, done: true },
      tenantId: '<default>',
    });

    await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'order', variables: {}, requestTimeout: 2_500 });
    expect(gw.api.lastArg<CreateInstanceWithResultRequest>('createProcessInstanceWithResult').requestTimeoutMs).toBe(2_500);
  });

  it('CreateProcessInstanceWithResult writes bigint variables as exact JSON numbers', async () => {
    const original = gw.api.createProcessInstanceWithResult.bind(gw.api);
    gw.api.createProcessInstanceWithResult = async (req) => ({ ...(await original(req)), variables: { ref: KEYS.job } });
    try {
      const response = await rawUnary<{ variables: string }>(raw, 'CreateProcessInstanceWithResult', {
        request: { bpmnProcessId: 'order', version: -1 },
      });
      expect(response.variables).toBe('{"ref":2251799813685253}');
    } finally {
      gw.api.createProcessInstanceWithResult = original;
    }
  });

  it('CancelProcessInstance', async () => {
    await zeebe.cancelProcessInstance('2251799813685251');
    expect(gw.api.lastArg('cancelProcessInstance')).toBe(2251799813685251n);
  });

  it('SetVariables answers with the exact command key', async () => {
    // The SDK types this as void, but hands back the decoded response.
    const response = (await zeebe.setVariables({
      elementInstanceKey: '2251799813685254',
      variables: { status: 'paid' },
      local: true,
    })) as unknown as { key: string };
    expect(gw.api.lastArg<SetVariablesRequest>('setVariables')).toEqual({
      elementInstanceKey: 2251799813685254n,
      variables: { status: 'paid' },
      local: true,
    });
    expect(response.key).toBe('2251799813685256');
  });

  it('ResolveIncident', async () => {
    await zeebe.resolveIncident({ incidentKey: '2251799813685257' });
    expect(gw.api.lastArg('resolveIncident')).toBe(2251799813685257n);
  });

  it('ModifyProcessInstance: activate instructions (-1 means no ancestor) with variables per scope, terminate instructions', async () => {
    await zeebe.modifyProcessInstance({
      processInstanceKey: '2251799813685251',
      activateInstructions: [
        { elementId: 'a', ancestorElementInstanceKey: '-1', variableInstructions: [{ scopeId: '', variables: { x: 1 } }, { scopeId: 'sub', variables: { y: 2 } }] },
        { elementId: 'b', ancestorElementInstanceKey: '2251799813685254', variableInstructions: [] },
      ],
      terminateInstructions: [{ elementInstanceKey: '9223372036854775807' }],
    });
    expect(gw.api.lastArg<ModifyInstanceRequest>('modifyProcessInstance')).toEqual({
      processInstanceKey: 2251799813685251n,
      activateInstructions: [
        { elementId: 'a', ancestorElementInstanceKey: null, variableInstructions: [{ scopeId: '', variables: { x: 1 } }, { scopeId: 'sub', variables: { y: 2 } }] },
        { elementId: 'b', ancestorElementInstanceKey: 2251799813685254n, variableInstructions: [] },
      ],
      terminateInstructions: [9223372036854775807n],
    });
  });

  it('MigrateProcessInstance', async () => {
    await zeebe.migrateProcessInstance({
      processInstanceKey: '2251799813685251',
      migrationPlan: { targetProcessDefinitionKey: '9223372036854775807', mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a2' }] },
    });
    expect(gw.api.lastArg<MigrateInstanceRequest>('migrateProcessInstance')).toEqual({
      processInstanceKey: 2251799813685251n,
      targetProcessDefinitionKey: 9223372036854775807n,
      mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a2' }],
    });
  });

  it('DeleteResource', async () => {
    await zeebe.deleteResource({ resourceKey: '2251799813685250' });
    expect(gw.api.lastArg('deleteResource')).toBe(2251799813685250n);
  });
});

describe('jobs', () => {
  it('ActivateJobs maps the request and every job field', async () => {
    gw.api.addJob(makeJob({ variables: { amount: 42, nested: { ok: true } } }));
    const jobs = await zeebe.activateJobs({
      type: 'payment',
      worker: 'w1',
      timeout: 30_000,
      maxJobsToActivate: 5,
      requestTimeout: -1,
      fetchVariable: ['amount', 'nested'],
    });
    expect(gw.api.lastArg<ActivateJobsRequest>('activateJobs')).toEqual({
      type: 'payment',
      worker: 'w1',
      timeoutMs: 30_000,
      maxJobsToActivate: 5,
      fetchVariables: ['amount', 'nested'],
      requestTimeoutMs: 0,
      tenantIds: ['<default>'],
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      key: '2251799813685253',
      type: 'payment',
      processInstanceKey: '2251799813685251',
      bpmnProcessId: 'order',
      processDefinitionVersion: 3,
      processDefinitionKey: '2251799813685250',
      elementId: 'charge',
      elementInstanceKey: '2251799813685254',
      customHeaders: { method: 'card' },
      worker: 'w1',
      retries: 3,
      deadline: '1700000000123',
      variables: { amount: 42, nested: { ok: true } },
      tenantId: '<default>',
    });
  });

  it('CompleteJob', async () => {
    await zeebe.completeJob({ jobKey: '2251799813685253', variables: { paid: true } });
    expect(gw.api.argsOf('completeJob').at(-1)).toEqual([2251799813685253n, { paid: true }]);
  });

  it('FailJob accepts 0 retries and passes the back-off', async () => {
    await zeebe.failJob({
      jobKey: '2251799813685253',
      retries: 0,
      errorMessage: 'card declined',
      retryBackOff: 1_000,
      variables: { reason: 'declined' },
    });
    expect(gw.api.lastArg<FailJobRequest>('failJob')).toEqual({
      jobKey: 2251799813685253n,
      retries: 0,
      errorMessage: 'card declined',
      retryBackOffMs: 1_000,
      variables: { reason: 'declined' },
    });
  });

  it('ThrowError', async () => {
    await zeebe.throwError({
      jobKey: '2251799813685253',
      errorCode: 'NO_FUNDS',
      errorMessage: 'insufficient funds',
      variables: { balance: 0 },
    });
    expect(gw.api.lastArg<ThrowErrorRequest>('throwError')).toEqual({
      jobKey: 2251799813685253n,
      errorCode: 'NO_FUNDS',
      errorMessage: 'insufficient funds',
      variables: { balance: 0 },
    });
  });

  it('UpdateJobRetries and UpdateJobTimeout', async () => {
    await zeebe.updateJobRetries({ jobKey: '2251799813685253', retries: 5 });
    expect(gw.api.argsOf('updateJobRetries').at(-1)).toEqual([2251799813685253n, 5]);
    await zeebe.updateJobTimeout({ jobKey: '2251799813685253', timeout: 60_000 });
    expect(gw.api.argsOf('updateJobTimeout').at(-1)).toEqual([2251799813685253n, 60_000]);
  });
});

describe('PublishMessage', () => {
  it('maps every field and answers with the exact message key', async () => {
    const response = await zeebe.publishMessage({
      name: 'payment-received',
      correlationKey: 'order-1',
      timeToLive: 60_000,
      messageId: 'm-1',
      variables: { amount: 42 },
    });
    expect(gw.api.lastArg<PublishMessageRequest>('publishMessage')).toEqual({
      name: 'payment-received',
      correlationKey: 'order-1',
      timeToLiveMs: 60_000,
      messageId: 'm-1',
      variables: { amount: 42 },
      tenantId: '<default>',
    });
    expect(response).toEqual({ key: '2251799813685255', tenantId: '<default>' });
  });

  it('accepts an empty correlation key (message start events)', async () => {
    await zeebe.publishMessage({ name: 'start', correlationKey: '', variables: {} });
    expect(gw.api.lastArg<PublishMessageRequest>('publishMessage')).toMatchObject({ correlationKey: '', messageId: '' });
  });
});
