/** Snapshot transfer over the private port: complete files only, and clear failures. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchSnapshot, splitAddress } from '../../../src/cluster/private/snapshot-transfer.js';
import { ZenError } from '../../../src/errors.js';
import { startNode, until, type RunningNode } from './support.js';

/** A well-formed hash that matches none of the scripted payloads. */
const ANY_HASH = '0'.repeat(64);

let dir: string;
const cleanup: Array<() => Promise<void> | void> = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zen-snapshot-'));
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  await rm(dir, { recursive: true, force: true });
});

async function node(): Promise<RunningNode> {
  const running = await startNode();
  cleanup.push(() => running.server.close());
  return running;
}

/** A server that speaks the snapshot protocol as scripted, to break it on purpose. */
async function scriptedServer(script: (socket: Socket) => void): Promise<string> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => script(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.part'));
}

describe('snapshot transfer', () => {
  it('copies a file of a few MB exactly and releases the snapshot', async () => {
    const { node: fake, address } = await node();
    const content = randomBytes(5 * 1024 * 1024 + 17);
    const source = join(dir, 'backup.db');
    await writeFile(source, content);
    const requested: number[] = [];
    let released = 0;
    fake.snapshot = async (partitionId) => {
      requested.push(partitionId);
      return { path: source, index: 4711, release: async () => void released++ };
    };
    const dest = join(dir, 'restored.db');
    await expect(fetchSnapshot(address, 3, dest)).resolves.toEqual({ index: 4711, size: content.length });
    expect((await readFile(dest)).equals(content)).toBe(true);
    expect(requested).toEqual([3]);
    await until(() => released === 1);
    expect(await leftovers()).toEqual([]);
  });

  it('has the file and its name on disk before it resolves', async () => {
    const { node: fake, address } = await node();
    const source = join(dir, 'backup.db');
    await writeFile(source, randomBytes(100_000));
    fake.snapshot = async () => ({ path: source, index: 1, release: async () => {} });
    const probe = await open(source, 'r');
    const prototype = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const sync = prototype.sync;
    const synced: Array<{ ino: number; directory: boolean }> = [];
    const spy = vi.spyOn(prototype, 'sync').mockImplementation(async function (this: FileHandle) {
      const stats = await this.stat();
      synced.push({ ino: stats.ino, directory: stats.isDirectory() });
      return sync.call(this);
    });
    cleanup.push(() => spy.mockRestore());
    const dest = join(dir, 'restored.db');
    await fetchSnapshot(address, 1, dest);
    const file = (await stat(dest)).ino;
    const directory = (await stat(dir)).ino;
    // The file's data first, then the directory holding its final name.
    expect(synced).toContainEqual({ ino: file, directory: false });
    expect(synced).toContainEqual({ ino: directory, directory: true });
    expect(synced.findIndex((entry) => entry.ino === file)).toBeLessThan(synced.findIndex((entry) => entry.ino === directory));
  });

  it('copies an empty file', async () => {
    const { node: fake, address } = await node();
    const source = join(dir, 'empty.db');
    await writeFile(source, '');
    fake.snapshot = async () => ({ path: source, index: 0, release: async () => {} });
    await expect(fetchSnapshot(address, 1, join(dir, 'copy.db'))).resolves.toEqual({ index: 0, size: 0 });
    expect((await readFile(join(dir, 'copy.db'))).length).toBe(0);
  });

  it('reports the reason the node refused, and leaves no file', async () => {
    const { node: fake, address } = await node();
    fake.snapshot = async (partitionId) => {
      throw new ZenError('UNAVAILABLE', `Partition ${partitionId} has no snapshot yet`);
    };
    const dest = join(dir, 'restored.db');
    const err = await fetchSnapshot(address, 2, dest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZenError);
    expect((err as ZenError).message).toBe(`Snapshot of partition 2 from ${address}: Partition 2 has no snapshot yet`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a node that serves no snapshots', async () => {
    const { address } = await node();
    await expect(fetchSnapshot(address, 1, join(dir, 'x.db'))).rejects.toThrow(/This node does not serve snapshots/);
  });

  it('releases the snapshot when the receiver goes away mid-transfer', async () => {
    const { node: fake, port } = await node();
    const source = join(dir, 'backup.db');
    await writeFile(source, randomBytes(8 * 1024 * 1024));
    let released = false;
    fake.snapshot = async () => ({ path: source, index: 1, release: async () => void (released = true) });
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('S{"partitionId":1}\n'));
    socket.on('error', () => {});
    socket.once('data', () => socket.destroy());
    await until(() => released);
  });

  it('detects a truncated stream', async () => {
    const address = await scriptedServer((socket) => {
      socket.write(`${JSON.stringify({ ok: true, index: 9, size: 1000, sha256: ANY_HASH })}\n`);
      socket.end(randomBytes(600));
    });
    const dest = join(dir, 'restored.db');
    await expect(fetchSnapshot(address, 1, dest)).rejects.toThrow(`Snapshot of partition 1 from ${address}: transfer ended after 600 of 1000 bytes`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('detects bytes corrupted in transit (right length, wrong SHA-256)', async () => {
    const address = await scriptedServer((socket) => {
      socket.end(`${JSON.stringify({ ok: true, index: 9, size: 10, sha256: ANY_HASH })}\n${'x'.repeat(10)}`);
    });
    await expect(fetchSnapshot(address, 1, join(dir, 'r.db'))).rejects.toThrow(/do not match the snapshot's SHA-256/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('detects a stream longer than announced', async () => {
    const address = await scriptedServer((socket) => {
      socket.end(`${JSON.stringify({ ok: true, index: 9, size: 10, sha256: ANY_HASH })}\n${'x'.repeat(11)}`);
    });
    await expect(fetchSnapshot(address, 1, join(dir, 'r.db'))).rejects.toThrow(/transfer ended after 11 of 10 bytes/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives up on a node that stops sending', async () => {
    const address = await scriptedServer((socket) => {
      socket.write(`${JSON.stringify({ ok: true, index: 9, size: 1000, sha256: ANY_HASH })}\n`);
      socket.write(randomBytes(10));
    });
    await expect(fetchSnapshot(address, 1, join(dir, 'r.db'), { idleTimeoutMs: 150 })).rejects.toThrow(/no data for 150 ms/);
    expect(await leftovers()).toEqual([]);
  });

  it('gives up on a node that does not answer the request', async () => {
    const address = await scriptedServer(() => {});
    await expect(fetchSnapshot(address, 1, join(dir, 'r.db'), { headerTimeoutMs: 150 })).rejects.toThrow(/no answer within 150 ms/);
  });

  it('waits for a snapshot that takes a while to make', async () => {
    const { node: fake, address } = await node();
    const source = join(dir, 'backup.db');
    await writeFile(source, 'slow');
    fake.snapshot = async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { path: source, index: 2, release: async () => {} };
    };
    await expect(fetchSnapshot(address, 1, join(dir, 'r.db'), { idleTimeoutMs: 100 })).resolves.toEqual({ index: 2, size: 4 });
  });

  it('enforces an overall timeout', async () => {
    const address = await scriptedServer((socket) => {
      socket.write(`${JSON.stringify({ ok: true, index: 9, size: 1_000_000, sha256: ANY_HASH })}\n`);
      const timer = setInterval(() => socket.write(randomBytes(10)), 20);
      socket.on('close', () => clearInterval(timer));
    });
    await expect(fetchSnapshot(address, 1, join(dir, 'r.db'), { timeoutMs: 200 })).rejects.toThrow(/not complete after 200 ms/);
    expect(await leftovers()).toEqual([]);
  });

  it('rejects a malformed header', async () => {
    const address = await scriptedServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await expect(fetchSnapshot(address, 1, join(dir, 'r.db'))).rejects.toThrow(/malformed header line/);
  });

  it('answers a malformed request with a failure header', async () => {
    const { port } = await node();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write('S{"partitionId":"one"}\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(JSON.parse(answer)).toEqual({ ok: false, error: 'Expected a positive integer partitionId in the snapshot request, got "one"' });
  });

  it('splits addresses, IPv6 included', () => {
    expect(splitAddress('node-1:26502')).toEqual({ host: 'node-1', port: 26502 });
    expect(splitAddress('[::1]:26502')).toEqual({ host: '::1', port: 26502 });
    expect(() => splitAddress('node-1')).toThrow(/Expected host:port/);
  });
});
