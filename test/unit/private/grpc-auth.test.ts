/**
 * Proofs on the internal gRPC service through a real port: every call carries a fresh one,
 * and a call without a valid one is refused before its request message is read.
 */
import { credentials, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterAuth, PROOF_METADATA_KEY } from '../../../src/cluster/private/auth.js';
import { ClientPool } from '../../../src/cluster/private/client-pool.js';
import { encodeCommand } from '../../../src/cluster/private/command-codec.js';
import { createPrivateServer } from '../../../src/cluster/private/internal-service.js';
import { internalService } from '../../../src/cluster/private/internal-proto.js';
import { FakeNode, silent, startNode, until, type RunningNode } from './support.js';

const SUBMIT = '/zen.internal.Node/Submit';
const PING = '/zen.internal.Node/Ping';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function guardedNode(auth = new ClusterAuth('s3cret', 7), port = 0, fake = new FakeNode()): Promise<RunningNode> {
  const running = await startNode(fake, port, 7, auth);
  cleanup.push(() => running.server.close());
  return running;
}

function pool(auth?: ClusterAuth): ClientPool {
  const created = new ClientPool({ logger: silent, callTimeoutMs: 2000, nodeId: 3, auth, watchBackoff: { initialMs: 20, maxMs: 100 } });
  cleanup.push(() => created.closeAll());
  return created;
}

type Call = (request: unknown, metadata: Metadata, callback: (err: ServiceError | null, response?: unknown) => void) => void;

/** A plain generated client: sends exactly the metadata it is given. */
function rawClient(address: string): Client & Record<'Submit' | 'Ping', Call> {
  const client = new (internalService().Client)(address, credentials.createInsecure()) as unknown as Client & Record<'Submit' | 'Ping', Call>;
  cleanup.push(() => client.close());
  return client;
}

function call(client: Client & Record<'Submit' | 'Ping', Call>, rpc: 'Submit' | 'Ping', request: unknown, proof?: string): Promise<unknown> {
  const metadata = new Metadata();
  if (proof !== undefined) metadata.set(PROOF_METADATA_KEY, proof);
  return new Promise((resolve, reject) => client[rpc](request, metadata, (err, response) => (err ? reject(err) : resolve(response))));
}

const job = { valueType: 'JOB' as const, intent: 'COMPLETE', key: 1n, value: {} };

describe('proofs on internal calls', () => {
  it('serve members with the secret and refuse everyone else', async () => {
    const running = await guardedNode();
    await expect(pool().submit(running.address, 1, job)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('--cluster-secret') });
    await expect(pool(new ClusterAuth('guess', 3)).ping(running.address)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('not made with it') });
    const member = pool(new ClusterAuth('s3cret', 3));
    // Each call is a new proof: a repeated one would be refused as used.
    for (let i = 0; i < 3; i++) await expect(member.ping(running.address)).resolves.toEqual({ nodeId: 7 });
    await expect(member.submit(running.address, 1, job)).resolves.toMatchObject({ ok: true });
    expect(running.node.submits).toHaveLength(1);
  });

  it('accept a captured proof once, and only for its own method', async () => {
    const running = await guardedNode();
    const peer = new ClusterAuth('s3cret', 3);
    const client = rawClient(running.address);
    const proof = peer.mint(PING);
    await expect(call(client, 'Submit', { partitionId: 1, command: encodeCommand(job), awaitTimeoutMs: 0 }, proof)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: expect.stringContaining('made for another request'),
    });
    expect(running.node.submits).toHaveLength(0);
    await expect(call(client, 'Ping', {}, proof)).resolves.toEqual({ nodeId: 7 });
    await expect(call(client, 'Ping', {}, proof)).rejects.toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('already used') });
  });

  it('refuse proofs dated outside the window', async () => {
    const running = await guardedNode();
    const client = rawClient(running.address);
    const stale = new ClusterAuth('s3cret', 3, { now: () => Date.now() - 61_000 });
    const early = new ClusterAuth('s3cret', 3, { now: () => Date.now() + 61_000 });
    await expect(call(client, 'Ping', {}, stale.mint(PING))).rejects.toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('clocks in sync') });
    await expect(call(client, 'Ping', {}, early.mint(PING))).rejects.toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('clocks in sync') });
  });

  it('end an unauthenticated WatchJobs and mint a new proof each time a watch reopens', async () => {
    const serverAuth = new ClusterAuth('s3cret', 7);
    const first = await guardedNode(serverAuth);
    const ended = await new Promise<{ code: number; details: string }>((resolve) => {
      const stream = (rawClient(first.address) as unknown as { WatchJobs(r: unknown, m: Metadata): NodeJS.EventEmitter }).WatchJobs({ nodeId: 1 }, new Metadata());
      stream.on('error', () => {});
      stream.on('status', resolve);
    });
    expect(ended).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringContaining('--cluster-secret') });
    expect(first.node.listeners.size).toBe(0);

    let connected = 0;
    const seen: string[] = [];
    const watch = pool(new ClusterAuth('s3cret', 3)).watchJobs(first.address, (partitionId, type) => seen.push(`${partitionId}:${type}`), { onConnected: () => connected++ });
    cleanup.push(() => watch.close());
    await until(() => connected === 1 && first.node.listeners.size === 1);
    await first.server.close();
    // Same address, same replay cache: the reopened watch is let in only with a proof not used before.
    const second = await guardedNode(serverAuth, first.port);
    await until(() => connected === 2 && second.node.listeners.size === 1);
    second.node.notify(1, 'payment');
    await until(() => seen.length === 1);
    expect(seen).toEqual(['1:payment']);
  });
});

describe('refused before the request is read', () => {
  it('never decodes the body of a call without a valid proof', async () => {
    const definition = internalService().definition[SUBMIT.split('/')[2]!]!;
    const decode = definition.requestDeserialize;
    const decoded: number[] = [];
    // The server takes its decoder from the definition when the service is added.
    definition.requestDeserialize = (bytes: Buffer) => {
      decoded.push(bytes.length);
      return decode(bytes);
    };
    cleanup.push(() => {
      definition.requestDeserialize = decode;
    });
    const running = await guardedNode();
    const client = rawClient(running.address);
    const body = { partitionId: 1, command: encodeCommand({ ...job, value: { blob: 'x'.repeat(8 * 1024 * 1024) } }), awaitTimeoutMs: 0 };
    await expect(call(client, 'Submit', body)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    await expect(call(client, 'Submit', body, new ClusterAuth('guess', 3).mint(SUBMIT))).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    expect(decoded).toEqual([]);
    expect(running.node.submits).toHaveLength(0);
    // The same call with a valid proof is decoded and served: the recording decoder is the server's.
    await expect(call(client, 'Submit', body, new ClusterAuth('s3cret', 3).mint(SUBMIT))).resolves.toBeDefined();
    expect(running.node.submits).toHaveLength(1);
    expect(decoded).toHaveLength(1);
    expect(decoded[0]).toBeGreaterThan(8 * 1024 * 1024);
  });

  it('answers UNAUTHENTICATED, not "message too large", to an oversized call without a proof', async () => {
    const auth = new ClusterAuth('s3cret', 7);
    const server = createPrivateServer({ handlers: new FakeNode(), logger: silent, nodeId: 7, auth, maxMessageBytes: 1024 * 1024 });
    cleanup.push(() => server.close());
    const address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    const client = rawClient(address);
    const body = { partitionId: 1, command: Buffer.alloc(4 * 1024 * 1024, 7), awaitTimeoutMs: 0 };
    await expect(call(client, 'Submit', body)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    // Had the server read the message, its size limit would have answered first — as it does here.
    await expect(call(client, 'Submit', body, new ClusterAuth('s3cret', 3).mint(SUBMIT))).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED });
  });
});
