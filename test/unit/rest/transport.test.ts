/**
 * The REST server on a real socket: fetch with real multipart from undici's FormData, long polling
 * across the wire, client aborts, shutdown during a long poll, and the Camunda 8 SDK's REST client.
 */
import { Camunda8 } from '@camunda8/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeployRequest } from '../../../src/node/api.js';
import { ZenError } from '../../../src/errors.js';
import { HUGE_KEY, KEYS, makeJob } from '../../support/fake-api.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

async function listening(options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  const address = await h.server.listen('127.0.0.1', 0);
  return { ...h, base: `http://127.0.0.1:${address.port}`, address };
}

const ACTIVATE = { type: 'payment', worker: 'w', timeout: 1000, maxJobsToActivate: 1 };

describe('over a real socket', () => {
  it('listens on an ephemeral port and serves /v2/topology', async () => {
    const { base, address } = await listening();
    expect(address).toMatchObject({ host: '127.0.0.1' });
    expect(address.port).toBeGreaterThan(0);
    const res = await fetch(`${base}/v2/topology`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { brokers: { partitions: unknown[] }[] }).brokers[0]!.partitions[0]).toEqual({ partitionId: 1, role: 'leader', health: 'healthy' });
  });

  it('deploys two resources sent by fetch as multipart/form-data', async () => {
    const { base, api } = await listening();
    const form = new FormData();
    form.append('resources', new Blob(['<definitions id="a"/>'], { type: 'application/xml' }), 'a.bpmn');
    form.append('resources', new Blob([new Uint8Array([0, 255, 13, 10, 45, 45])]), 'b.bpmn');
    form.append('tenantId', '<default>');
    const res = await fetch(`${base}/v2/deployments`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { deploymentKey: string };
    expect(body.deploymentKey).toBe(String(KEYS.deployment));
    const req = api.lastArg<DeployRequest>('deploy');
    expect(req.resources.map((r) => r.name)).toEqual(['a.bpmn', 'b.bpmn']);
    expect([...req.resources[1]!.content]).toEqual([0, 255, 13, 10, 45, 45]);
  });

  it('answers a problem over the wire', async () => {
    const { base } = await listening();
    const res = await fetch(`${base}/v2/jobs/nope/completion`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await res.json()) as object).toMatchObject({ title: 'INVALID_ARGUMENT', instance: '/v2/jobs/nope/completion' });
  });

  it('answers 413 for a body over maxMessageSize', async () => {
    const { base, api } = await listening({ limits: { maxMessageSize: 1024 } });
    const res = await fetch(`${base}/v2/messages/publication`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'm', variables: { x: 'y'.repeat(5000) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toBe('Request body is larger than the limit of 1024 bytes (maxMessageSize)');
    expect(api.calls).toHaveLength(0);
  });

  it('long-polls until a job appears', async () => {
    const { base, api } = await listening();
    const pending = fetch(`${base}/v2/jobs/activation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ACTIVATE, requestTimeout: 10_000 }),
    });
    await vi.waitFor(() => expect(api.polls).toHaveLength(1));
    api.addJob(makeJob({ key: HUGE_KEY }));
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { jobs: { jobKey: string }[] }).jobs.map((j) => j.jobKey)).toEqual([String(HUGE_KEY)]);
  });

  it('ends the long poll when the client goes away, and then closes without waiting', async () => {
    const { base, api, server } = await listening();
    const client = new AbortController();
    const pending = fetch(`${base}/v2/jobs/activation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ACTIVATE, requestTimeout: 30_000 }),
      signal: client.signal,
    }).catch((err: unknown) => err);
    await vi.waitFor(() => expect(api.polls).toHaveLength(1));
    client.abort();
    expect(await pending).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(api.polls[0]!.signal.aborted).toBe(true));
    const started = Date.now();
    await server.close(10_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('close() answers running long polls with no jobs instead of waiting for their timeout', async () => {
    const { base, api, server, logger } = await listening();
    const pending = fetch(`${base}/v2/jobs/activation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ACTIVATE, requestTimeout: 30_000 }),
    });
    await vi.waitFor(() => expect(api.polls).toHaveLength(1));
    const started = Date.now();
    await server.close();
    const res = await pending;
    expect(await res.json()).toEqual({ jobs: [] });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(logger.at('info').map((l) => l.msg)).toContain('REST API stopped');
  });

  it('answers requests that arrive while closing with a 503 problem', async () => {
    const { server } = await listening();
    const closing = server.close();
    const res = await server.app.inject({ method: 'GET', url: '/v2/topology' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ title: 'UNAVAILABLE', detail: 'The node is shutting down; retry on another node' });
    await closing;
  });
});

describe('with the Camunda 8 SDK REST client', () => {
  async function sdk() {
    const h = await listening();
    const c8 = new Camunda8({
      ZEEBE_REST_ADDRESS: h.base,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_LOG_LEVEL: 'none',
    });
    return { ...h, rest: c8.getCamundaRestClient() };
  }

  it('gets the topology', async () => {
    const { rest } = await sdk();
    const topology = await rest.getTopology();
    expect(topology.brokers[0]!.partitions[0]!.role).toBe('leader');
  });

  it('deploys, creates an instance, activates and completes a job, publishes a message', async () => {
    const { rest, api } = await sdk();
    const deployment = await rest.deployResources([
      { name: 'order.bpmn', content: '<definitions id="order"/>' },
      { name: 'ship.bpmn', content: '<definitions id="ship"/>' },
    ]);
    expect(deployment.deploymentKey).toBe(String(KEYS.deployment));
    expect(deployment.processes.map((p) => [p.processDefinitionId, p.processDefinitionKey])).toEqual([
      ['order', String(KEYS.processDefinition)],
      ['ship', String(KEYS.processDefinition + 1n)],
    ]);
    expect(api.lastArg<DeployRequest>('deploy').resources.map((r) => r.name)).toEqual(['order.bpmn', 'ship.bpmn']);

    const instance = await rest.createProcessInstance({ processDefinitionId: 'order', variables: { amount: 42 } });
    expect(instance.processInstanceKey).toBe(String(KEYS.processInstance));

    api.addJob(makeJob());
    const jobs = await rest.activateJobs({ type: 'payment', worker: 'sdk', timeout: 30_000, maxJobsToActivate: 5 });
    // Camunda 8.8 names it processDefinitionId; this SDK version's type still says bpmnProcessId.
    const fields = (j: object) => j as { jobKey: string; processDefinitionId: string; variables: unknown };
    expect(jobs.map(fields).map((j) => [j.jobKey, j.processDefinitionId, j.variables])).toEqual([
      [String(KEYS.job), 'order', { amount: 42 }],
    ]);
    await rest.completeJob({ jobKey: jobs[0]!.jobKey, variables: { paid: true } });
    expect(api.argsOf('completeJob')).toEqual([[KEYS.job, { paid: true }]]);

    const message = await rest.publishMessage({ name: 'paid', correlationKey: 'order-1', variables: {}, timeToLive: 1000 });
    expect(message.messageKey).toBe(String(KEYS.message));
  });

  it('fails, errors and updates jobs, resolves incidents and cancels instances', async () => {
    const { rest, api } = await sdk();
    await rest.failJob({ jobKey: String(KEYS.job), retries: 1, errorMessage: 'x', retryBackOff: 10 });
    await rest.errorJob({ jobKey: String(KEYS.job), errorCode: 'E1', errorMessage: 'y', variables: {} });
    await rest.updateJob({ jobKey: String(KEYS.job), retries: 5 });
    await rest.resolveIncident(String(KEYS.incident));
    await rest.cancelProcessInstance({ processInstanceKey: String(KEYS.processInstance) });
    expect(api.calls.map((c) => c.method)).toEqual([
      'failJob',
      'throwError',
      'updateJobRetries',
      'resolveIncident',
      'cancelProcessInstance',
    ]);
  });

  it('surfaces problems as HTTP errors with status and detail', async () => {
    const { rest, api } = await sdk();
    api.failNext('completeJob', new ZenError('NOT_FOUND', `Expected to complete job with key '${KEYS.job}', but no such job was found`));
    const err = (await rest.completeJob({ jobKey: String(KEYS.job), variables: {} }).catch((e: unknown) => e)) as {
      statusCode?: number;
      message: string;
    };
    expect(err.statusCode).toBe(404);
    expect(err.message).toContain('no such job was found');
  });
});
