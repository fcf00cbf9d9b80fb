/**
 * Multi-tenancy against a real `zen start --multi-tenancy` (two partitions) with the real SDK:
 * two tenants deploy the same process id, workers of one tenant see only its jobs, a message of
 * one tenant never reaches the other's instance, and REST searches filter by tenant. A node
 * without the flag still refuses any tenant but the default one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, fixturePath, grpcFailure, muteSdkStreamCancellations, sleep, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const A = 'tenant-a';
const B = 'tenant-b';

let server: ZenServer;
let plain: ZenServer;
let zeebe: ZeebeClient;

const url = (path: string) => `http://127.0.0.1:${server.restPort}/v2${path}`;

/** A search that sees every write acknowledged before it. */
async function search(path: string, filter: unknown): Promise<{ status: number; items: Array<Record<string, any>> }> {
  const response = await fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'zen-consistency': 'strong' },
    body: JSON.stringify({ filter, page: { limit: 100 } }),
  });
  const body = (await response.json()) as { items?: Array<Record<string, any>> };
  return { status: response.status, items: body.items ?? [] };
}

beforeAll(async () => {
  [server, plain] = await Promise.all([ZenServer.start({ args: ['--partitions', '2', '--multi-tenancy'] }), ZenServer.start()]);
  zeebe = zeebeClient(server);
});

afterAll(async () => {
  await zeebe?.close();
  const exits = await Promise.all([server?.dispose(), plain?.dispose()]);
  for (const exit of exits) expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server, plain]);
muteSdkStreamCancellations();

describe('zen start --multi-tenancy', () => {
  const instances = new Map<string, string[]>([
    [A, []],
    [B, []],
  ]);

  it('two tenants deploy the same process id, each as version 1 of its own', async () => {
    const deployments = [];
    for (const tenantId of [A, B]) deployments.push(await zeebe.deployResource({ processFilename: fixturePath('server-one-task.bpmn'), tenantId }));
    const processes = deployments.map((d) => d.deployments[0]!.process!);
    expect(deployments.map((d) => d.tenantId)).toEqual([A, B]);
    expect(processes.map((p) => [p.bpmnProcessId, p.version, p.tenantId])).toEqual([
      ['server-one-task', 1, A],
      ['server-one-task', 1, B],
    ]);
    expect(processes[0]!.processDefinitionKey).not.toBe(processes[1]!.processDefinitionKey);

    for (const [tenantId, count] of [[A, 3], [B, 2]] as const) {
      for (let i = 0; i < count; i++) {
        const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { i }, tenantId });
        expect(created.tenantId).toBe(tenantId);
        expect(created.processDefinitionKey).toBe(processes[tenantId === A ? 0 : 1]!.processDefinitionKey);
        instances.get(tenantId)!.push(created.processInstanceKey);
      }
    }
    // The default tenant deployed nothing.
    const err = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} }));
    expect(err.code, err.details).toBe(Code.NOT_FOUND);
  });

  it('a polling worker of one tenant and a streaming worker of the other each get only their tenant’s jobs', async () => {
    const seen = new Map<string, string[]>([
      [A, []],
      [B, []],
    ]);
    const worker = zeebe.createWorker({
      taskType: 'server-work',
      tenantIds: [A],
      timeout: 30_000,
      taskHandler: (job) => {
        seen.get(A)!.push(`${job.tenantId}:${job.processInstanceKey}`);
        return job.complete();
      },
    });
    const stream = await zeebe.streamJobs({
      type: 'server-work',
      worker: 'stream-b',
      timeout: 30_000,
      tenantIds: [B],
      taskHandler: (job) => {
        seen.get(B)!.push(`${job.tenantId}:${job.processInstanceKey}`);
        return job.complete();
      },
    });
    try {
      await waitFor('every job done', () => (seen.get(A)!.length + seen.get(B)!.length >= 5 ? true : undefined), 20_000);
      await sleep(300);
    } finally {
      await worker.close();
      stream.close();
    }
    for (const tenantId of [A, B]) expect(seen.get(tenantId)!.sort()).toEqual(instances.get(tenantId)!.map((key) => `${tenantId}:${key}`).sort());
  });

  it('REST searches filter by tenant, and every row carries its tenant', async () => {
    const ofA = await search('/process-instances/search', { tenantId: A, processDefinitionId: 'server-one-task' });
    expect(ofA.status).toBe(200);
    expect(ofA.items.map((i) => i.processInstanceKey).sort()).toEqual([...instances.get(A)!].sort());
    expect(new Set(ofA.items.map((i) => [i.tenantId, i.state].join()))).toEqual(new Set([`${A},COMPLETED`]));
    const definitions = await search('/process-definitions/search', { processDefinitionId: 'server-one-task' });
    expect(definitions.items.map((d) => `${d.tenantId}:${d.version}`).sort()).toEqual([`${A}:1`, `${B}:1`]);
    const jobsOfB = await search('/jobs/search', { tenantId: B });
    expect(jobsOfB.items).toHaveLength(2);
    expect(jobsOfB.items.every((j) => j.tenantId === B)).toBe(true);
    expect((await search('/process-instances/search', { tenantId: 'tenant-c' })).items).toEqual([]);
  });

  it('a message of one tenant does not reach the other tenant’s waiting instance', async () => {
    for (const tenantId of [A, B]) await zeebe.deployResource({ processFilename: fixturePath('server-message-catch.bpmn'), tenantId });
    const waiting = await zeebe.createProcessInstance({ bpmnProcessId: 'server-message-catch', variables: { orderId: 'o-1' }, tenantId: B });
    const published = await zeebe.publishMessage({ name: 'payment-received', correlationKey: 'o-1', timeToLive: 60_000, variables: { paid: 'A' }, tenantId: A });
    expect(published.tenantId).toBe(A);
    await sleep(500);
    const stillWaiting = await fetch(url(`/process-instances/${waiting.processInstanceKey}`));
    expect(stillWaiting.status).toBe(200);
    expect(((await stillWaiting.json()) as { state: string; tenantId: string })).toMatchObject({ state: 'ACTIVE', tenantId: B });

    // A's own instance takes A's buffered message.
    const ofA = await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-message-catch', variables: { orderId: 'o-1' }, tenantId: A, requestTimeout: 20_000 });
    expect(ofA.variables).toEqual({ orderId: 'o-1', paid: 'A' });
    await zeebe.publishMessage({ name: 'payment-received', correlationKey: 'o-1', timeToLive: 0, variables: { paid: 'B' }, tenantId: B });
    await waitFor('B’s instance completed', async () => {
      const rows = await search('/process-instances/search', { processInstanceKey: waiting.processInstanceKey });
      return rows.items[0]?.state === 'COMPLETED' ? true : undefined;
    });
  });

  it('refuses tenant ids Zeebe refuses, over gRPC and REST', async () => {
    const err = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {}, tenantId: 'no/slashes' }));
    expect(err.code).toBe(Code.INVALID_ARGUMENT);
    expect(err.details).toBe("Expected to handle gRPC request CreateProcessInstance with tenant identifier 'no/slashes', but tenant identifier contains illegal characters");
    const response = await fetch(url('/process-instances'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processDefinitionId: 'server-one-task', tenantId: 'x'.repeat(32) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('tenant identifier is longer than 31 characters');
  });
});

describe('zen start without --multi-tenancy', () => {
  it('still refuses any tenant but the default one', async () => {
    const client = zeebeClient(plain);
    try {
      const err = await grpcFailure(client.deployResource({ processFilename: fixturePath('server-one-task.bpmn'), tenantId: A }));
      expect(err.code).toBe(Code.INVALID_ARGUMENT);
      expect(err.details).toBe(`Expected to handle gRPC request DeployResource with tenant identifier '${A}', but multi-tenancy is disabled`);
      const deployed = await client.deployResource({ processFilename: fixturePath('server-one-task.bpmn') });
      expect(deployed.tenantId).toBe('<default>');
    } finally {
      await client.close();
    }
  });
});
