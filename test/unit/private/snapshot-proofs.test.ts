/** Snapshot requests on the private port carry a proof for their partition, accepted once. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClusterAuth, snapshotPurpose } from '../../../src/cluster/private/auth.js';
import { fetchSnapshot } from '../../../src/cluster/private/snapshot-transfer.js';
import { startNode, type RunningNode } from './support.js';

let dir: string;
const cleanup: Array<() => Promise<void> | void> = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zen-snapshot-proofs-'));
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await rm(dir, { recursive: true, force: true });
});

/** A node with the secret 's3cret' serving a 1000-byte snapshot, counting what it was asked for. */
async function guardedNode(): Promise<RunningNode & { requested: number[] }> {
  const running = await startNode(undefined, 0, 7, new ClusterAuth('s3cret', 7));
  cleanup.push(() => running.server.close());
  const source = join(dir, 'backup.db');
  await writeFile(source, randomBytes(1000));
  const requested: number[] = [];
  running.node.snapshot = async (partitionId) => {
    requested.push(partitionId);
    return { path: source, index: 5, release: async () => {} };
  };
  return { ...running, requested };
}

/** Sends one raw request line and returns the first line of the answer. */
function requestLine(port: number, request: object): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(`S${JSON.stringify(request)}\n`));
    let text = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      socket.destroy();
      resolve(JSON.parse(text.slice(0, newline)));
    });
  });
}

const member = new ClusterAuth('s3cret', 3);

describe('snapshot proofs', () => {
  it('serve a member with the secret, and refuse requests without it or with another', async () => {
    const running = await guardedNode();
    await expect(fetchSnapshot(running.address, 1, join(dir, 'a.db'))).rejects.toThrow(/--cluster-secret\), and this request presented no proof/);
    await expect(fetchSnapshot(running.address, 1, join(dir, 'b.db'), { auth: new ClusterAuth('guess', 3) })).rejects.toThrow(/not made with it/);
    expect(running.requested).toEqual([]);
    await expect(fetchSnapshot(running.address, 1, join(dir, 'c.db'), { auth: member })).resolves.toEqual({ index: 5, size: 1000 });
    await expect(fetchSnapshot(running.address, 1, join(dir, 'd.db'), { auth: member })).resolves.toEqual({ index: 5, size: 1000 });
    expect(running.requested).toEqual([1, 1]);
    expect((await readdir(dir)).sort()).toEqual(['backup.db', 'c.db', 'd.db']);
  });

  it('accept a captured proof once', async () => {
    const running = await guardedNode();
    const proof = member.mint(snapshotPurpose(1));
    expect(await requestLine(running.port, { partitionId: 1, proof })).toMatchObject({ ok: true });
    expect(await requestLine(running.port, { partitionId: 1, proof })).toEqual({ ok: false, error: expect.stringContaining('already used') });
    expect(running.requested).toEqual([1]);
  });

  it('refuse a proof made for another partition or for an internal call, before making a snapshot', async () => {
    const running = await guardedNode();
    const other = await requestLine(running.port, { partitionId: 1, proof: member.mint(snapshotPurpose(2)) });
    expect(other).toEqual({ ok: false, error: expect.stringContaining('made for another request (snapshot:2)') });
    const call = await requestLine(running.port, { partitionId: 1, proof: member.mint('/zen.internal.Node/Ping') });
    expect(call).toEqual({ ok: false, error: expect.stringContaining('made for another request (/zen.internal.Node/Ping)') });
    const stale = new ClusterAuth('s3cret', 3, { now: () => Date.now() - 120_000 });
    expect(await requestLine(running.port, { partitionId: 1, proof: stale.mint(snapshotPurpose(1)) })).toEqual({
      ok: false,
      error: expect.stringContaining('clocks in sync'),
    });
    expect(running.requested).toEqual([]);
  });
});
