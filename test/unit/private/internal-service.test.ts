/** The internal gRPC service through a real port: commands, errors, deliveries, job watches. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/cluster/private/client-pool.js';
import { NotLeaderError, PeerUnreachableError } from '../../../src/cluster/private/remote-errors.js';
import { ERROR_CATALOGUE, ZenError, type ErrorCode } from '../../../src/errors.js';
import { ClusterDirectory } from '../../../src/node/cluster-directory.js';
import { config, fold, member, node as node_ } from '../cluster/fixtures.js';
import { freePort, silent, startNode, until, type RunningNode } from './support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function node(port = 0): Promise<RunningNode> {
  const running = await startNode(undefined, port);
  cleanup.push(() => running.server.close());
  return running;
}

function pool(callTimeoutMs = 2000): ClientPool {
  const created = new ClientPool({ logger: silent, callTimeoutMs, nodeId: 3, watchBackoff: { initialMs: 20, maxMs: 100 } });
  cleanup.push(() => created.closeAll());
  return created;
}

const huge = 2n ** 62n + 5n;

describe('Submit', () => {
  it('carries bigint keys both ways and drops what the leader assigns itself', async () => {
    const { node: fake, address } = await node();
    fake.answer = ({ command }) => ({ ok: true, key: command.key + 1n, value: { keys: [huge], nested: new Map([['k', 1n]]) } });
    const response = await pool().submit(address, 2, {
      valueType: 'JOB',
      intent: 'COMPLETE',
      key: huge,
      value: { variables: { a: 1 }, big: -huge },
      attachment: { compiled: () => 1 },
    });
    expect(response).toEqual({ ok: true, key: huge + 1n, value: { keys: [huge], nested: new Map([['k', 1n]]) } });
    expect(fake.submits).toEqual([
      { partitionId: 2, awaitTimeoutMs: null, command: { valueType: 'JOB', intent: 'COMPLETE', key: huge, value: { variables: { a: 1 }, big: -huge } } },
    ]);
  });

  it('returns a rejection as a response, not an error', async () => {
    const { node: fake, address } = await node();
    fake.answer = () => ({ ok: false, rejectionType: 'NOT_FOUND', reason: "Expected to find job with key '5', but none was found" });
    await expect(pool().submit(address, 1, { valueType: 'JOB', intent: 'COMPLETE', key: 5n, value: {} })).resolves.toEqual({
      ok: false,
      rejectionType: 'NOT_FOUND',
      reason: "Expected to find job with key '5', but none was found",
    });
  });

  it('maps every ZenError code to its gRPC status and back to the same code and message', async () => {
    const { node: fake, address } = await node();
    const client = pool();
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
      fake.answer = () => {
        throw new ZenError(code, `failure ${code} on element 'task'`);
      };
      const err = await client.submit(address, 1, { valueType: 'JOB', intent: 'COMPLETE', key: 1n, value: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZenError);
      expect(err).toMatchObject({ code, message: `failure ${code} on element 'task'` });
      expect(err).not.toBeInstanceOf(NotLeaderError);
    }
  });

  it('turns an unexpected handler error into INTERNAL', async () => {
    const { node: fake, address } = await node();
    fake.answer = () => Promise.reject(new TypeError('boom'));
    await expect(pool().submit(address, 1, { valueType: 'JOB', intent: 'COMPLETE', key: 1n, value: {} })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'Unexpected error: boom',
    });
  });

  it('tells "not the leader" apart from other unavailability', async () => {
    const { node: fake, address } = await node();
    fake.answer = () => {
      throw new NotLeaderError(4);
    };
    const err = await pool().submit(address, 4, { valueType: 'JOB', intent: 'COMPLETE', key: 1n, value: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotLeaderError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', partitionId: 4, message: 'This node is not the leader of partition 4' });
  });

  it('awaits a result beyond the call deadline, and passes the leader\'s timeout back', async () => {
    const { node: fake, address } = await node();
    fake.answer = async ({ awaitTimeoutMs }) => {
      await new Promise((resolve) => setTimeout(resolve, awaitTimeoutMs!));
      throw new ZenError('DEADLINE_EXCEEDED', `Timed out after ${awaitTimeoutMs} ms waiting for the process instance to complete`);
    };
    const client = pool(150);
    const started = Date.now();
    const command = { valueType: 'PROCESS_INSTANCE_CREATION' as const, intent: 'CREATE_WITH_AWAITING_RESULT', key: -1n, value: {} };
    await expect(client.submit(address, 1, command, { awaitTimeoutMs: 400 })).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      message: 'Timed out after 400 ms waiting for the process instance to complete',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(fake.submits[0]!.awaitTimeoutMs).toBe(400);

    fake.answer = () => ({ ok: true, key: 9n, value: { variables: '{}' } });
    await expect(client.submit(address, 1, command, { awaitTimeoutMs: 400 })).resolves.toEqual({ ok: true, key: 9n, value: { variables: '{}' } });
  });

  it('fails with DEADLINE_EXCEEDED when the leader does not answer in time', async () => {
    const { node: fake, address } = await node();
    fake.answer = () => new Promise(() => {});
    await expect(pool(100).submit(address, 3, { valueType: 'JOB', intent: 'COMPLETE', key: 1n, value: {} })).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      message: expect.stringMatching(/partition 3.*within 100 ms; the request may or may not have been processed/),
    });
  });

  it('fails with PeerUnreachableError when no connection can be made', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const err = await pool().submit(address, 1, { valueType: 'JOB', intent: 'COMPLETE', key: 1n, value: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PeerUnreachableError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`Cannot reach node ${address} (partition 1) for Submit`) });
  });
});

describe('Deliver and Ping', () => {
  it('enqueues a cross-partition command on the node', async () => {
    const { node: fake, address } = await node();
    await pool().deliver(address, 2, {
      valueType: 'PROCESS_MESSAGE_SUBSCRIPTION',
      intent: 'CORRELATE',
      key: huge,
      value: { messageKey: huge },
      requestId: null,
    });
    expect(fake.delivered).toEqual([
      { partitionId: 2, command: { valueType: 'PROCESS_MESSAGE_SUBSCRIPTION', intent: 'CORRELATE', key: huge, value: { messageKey: huge } } },
    ]);
  });

  it('reports a node that does not lead the target partition', async () => {
    const { node: fake, address } = await node();
    fake.onDeliver = (partitionId) => {
      throw new NotLeaderError(partitionId);
    };
    await expect(pool().deliver(address, 2, { valueType: 'MESSAGE_SUBSCRIPTION', intent: 'CREATE', key: 1n, value: {} })).rejects.toBeInstanceOf(
      NotLeaderError,
    );
  });

  it('answers a ping with the node id', async () => {
    const { address } = await node();
    await expect(pool().ping(address)).resolves.toEqual({ nodeId: 7 });
  });
});

describe('Read', () => {
  const view = {
    processInstanceKey: huge,
    processDefinitionKey: huge + 1n,
    bpmnProcessId: 'p',
    version: 2,
    tenantId: '<default>',
    parentProcessInstanceKey: -1n,
    parentElementInstanceKey: -1n,
    hasIncident: false,
    activeElements: [{ elementInstanceKey: huge + 2n, elementId: 'task', elementType: 'SERVICE_TASK', state: 'ACTIVATED' as const }],
    remoteCalledInstances: [huge + 5n],
  };

  it('carries the query and the answer with bigint keys', async () => {
    const { node: fake, address } = await node();
    fake.onRead = () => ({ value: view, servedBy: { nodeId: 7, role: 'FOLLOWER' } });
    await expect(pool().read(address, 3, { kind: 'processInstance', key: huge })).resolves.toEqual({ value: view, servedBy: { nodeId: 7, role: 'FOLLOWER' } });
    expect(fake.reads).toEqual([{ partitionId: 3, query: { kind: 'processInstance', key: huge } }]);
  });

  it('passes "no replica in sync" back as UNAVAILABLE', async () => {
    const { address } = await node();
    await expect(pool().read(address, 2, { kind: 'processInstance', key: 1n })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('partition 2') });
  });

  it('lets a node without a replica read from the members, followers first, skipping one that cannot serve', async () => {
    const behind = await node();
    const follower = await node();
    const leader = await node();
    follower.node.onRead = () => ({ value: view, servedBy: { nodeId: 11, role: 'FOLLOWER' } });
    leader.node.onRead = () => ({ value: view, servedBy: { nodeId: 12, role: 'LEADER' } });
    const directory = new ClusterDirectory(1, 1, '0.0.0', pool(), silent);
    const addresses = (n: RunningNode) => ({ host: '127.0.0.1', grpcPort: 0, restPort: 0, systemPort: 0, privatePort: n.port });
    const nodes = [behind, follower, leader].map((n, i) => [10 + i, n] as const);
    directory.state = fold([
      config(1, 3),
      ...nodes.map(([id, n]) => ({ ...node_(id), addresses: addresses(n) })),
      member(1, 12, { state: 'ACTIVE', role: 'LEADER', term: 5 }),
      member(1, 10, { state: 'ACTIVE', role: 'FOLLOWER' }),
      member(1, 11, { state: 'ACTIVE', role: 'FOLLOWER' }),
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await directory.read(1, { kind: 'processInstance', key: huge });
      expect(answer.value).toEqual(view);
      seen.push(`${answer.servedBy.nodeId}/${answer.servedBy.role}`);
    }
    // The follower in sync answers every time; the leader is only the last resort.
    expect(seen).toEqual(['11/FOLLOWER', '11/FOLLOWER', '11/FOLLOWER', '11/FOLLOWER']);
    expect(behind.node.reads.length).toBeGreaterThan(0);
    expect(leader.node.reads).toEqual([]);

    follower.node.onRead = (partitionId) => {
      throw new ZenError('UNAVAILABLE', `behind on ${partitionId}`);
    };
    expect((await directory.read(1, { kind: 'processInstance', key: huge })).servedBy).toEqual({ nodeId: 12, role: 'LEADER' });
  });
});

describe('WatchJobs', () => {
  it('streams notifications (with whether the node’s own workers take the type) and reconnects after the node restarts', async () => {
    const first = await node();
    const client = pool();
    const seen: string[] = [];
    let connected = 0;
    const watch = client.watchJobs(first.address, (partitionId, type, served) => seen.push(`${partitionId}:${type}${served ? ':served' : ''}`), { onConnected: () => connected++ });
    cleanup.push(() => watch.close());
    await until(() => connected === 1 && first.node.listeners.size === 1);
    first.node.notify(2, 'payment');
    first.node.notify(3, 'shipping', true);
    await until(() => seen.length === 2);
    expect(seen).toEqual(['2:payment', '3:shipping:served']);

    await first.server.close();
    expect(first.node.listeners.size).toBe(0);
    const second = await node(first.port);
    await until(() => connected === 2 && second.node.listeners.size === 1);
    second.node.notify(1, 'payment');
    await until(() => seen.length === 3);
    expect(seen[2]).toBe('1:payment');

    watch.close();
    await until(() => second.node.listeners.size === 0);
  });

  it('keeps retrying a node that is not there yet', async () => {
    const port = await freePort();
    const client = pool();
    let connected = 0;
    const watch = client.watchJobs(`127.0.0.1:${port}`, () => {}, { onConnected: () => connected++ });
    cleanup.push(() => watch.close());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const late = await node(port);
    await until(() => connected === 1 && late.node.listeners.size === 1);
  });

  it('closing the server does not wait for open watches', async () => {
    const running = await startNode();
    const client = pool();
    const watch = client.watchJobs(running.address, () => {});
    cleanup.push(() => watch.close());
    await until(() => running.node.listeners.size === 1);
    const started = Date.now();
    await running.server.close();
    expect(Date.now() - started).toBeLessThan(900);
  });
});
