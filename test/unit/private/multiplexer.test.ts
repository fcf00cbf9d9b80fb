/** One port, several protocols: the first byte decides, and is still there for the protocol. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool } from '../../../src/cluster/private/client-pool.js';
import { PrivatePortMultiplexer } from '../../../src/cluster/private/multiplexer.js';
import { fetchSnapshot } from '../../../src/cluster/private/snapshot-transfer.js';
import { silent, startNode, type RunningNode } from './support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function node(): Promise<RunningNode> {
  const running = await startNode();
  cleanup.push(() => running.server.close());
  return running;
}

function pool(): ClientPool {
  const created = new ClientPool({ logger: silent, callTimeoutMs: 2000 });
  cleanup.push(() => created.closeAll());
  return created;
}

/** Resolves with what the server sent before it closed the connection. */
function sendRaw(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
  });
}

describe('private port multiplexer', () => {
  it('serves internal gRPC and snapshot transfer on the same port', async () => {
    const { node: fake, address } = await node();
    const dir = await mkdtemp(join(tmpdir(), 'zen-mux-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const source = join(dir, 'source.db');
    await writeFile(source, 'snapshot bytes');
    fake.snapshot = async () => ({ path: source, index: 3, release: async () => {} });

    expect(await pool().ping(address)).toEqual({ nodeId: 7 });
    expect(await fetchSnapshot(address, 1, join(dir, 'copy.db'))).toEqual({ index: 3, size: 14 });
    expect(await readFile(join(dir, 'copy.db'), 'utf8')).toBe('snapshot bytes');
    // gRPC still works alongside.
    expect(await pool().ping(address)).toEqual({ nodeId: 7 });
  });

  it('closes a connection whose first byte names no protocol', async () => {
    const { port } = await node();
    const answer = await sendRaw(port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(answer.length).toBe(0);
  });

  it('hands a registered protocol the whole stream, first byte included', async () => {
    const { server, port } = await node();
    server.registerProtocol('E', (socket) => {
      socket.on('data', (chunk) => socket.end(chunk));
      socket.resume();
    });
    const answer = await sendRaw(port, Buffer.from('Echo me'));
    expect(answer.toString()).toBe('Echo me');
    expect(() => server.registerProtocol('S', () => {})).toThrow(/already registered/);
  });

  it('works when the first byte arrives alone (HTTP/2 preface split across reads)', async () => {
    const { port } = await node();
    // A relay that forwards the client's first byte by itself, and the rest a moment later.
    const relay = createServer((client) => {
      const upstream = connect({ host: '127.0.0.1', port });
      let first = true;
      client.on('data', (chunk: Buffer) => {
        if (!first) {
          upstream.write(chunk);
          return;
        }
        first = false;
        upstream.write(chunk.subarray(0, 1));
        client.pause();
        setTimeout(() => {
          upstream.write(chunk.subarray(1));
          client.resume();
        }, 50);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('error', () => {});
      upstream.on('error', () => {});
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as { port: number }).port;
    const relayed = pool();
    cleanup.push(() => {
      relayed.closeAll();
      relay.close();
    });
    expect(await relayed.ping(`127.0.0.1:${relayPort}`)).toEqual({ nodeId: 7 });
  });

  it('closes connections that send nothing, and all connections on close', async () => {
    const multiplexer = new PrivatePortMultiplexer({ logger: silent, firstByteTimeoutMs: 100 });
    let handed: Socket | null = null;
    multiplexer.register('X', (socket) => {
      handed = socket;
      socket.resume();
    });
    const port = await multiplexer.listen('127.0.0.1', 0);
    const started = Date.now();
    await sendRaw(port, Buffer.alloc(0));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);

    const held = connect({ host: '127.0.0.1', port }, () => held.write('X'));
    held.on('error', () => {});
    const closed = new Promise((resolve) => held.on('close', resolve));
    while (!handed) await new Promise((resolve) => setTimeout(resolve, 5));
    await multiplexer.close();
    await closed;
  });

  it('reports a port in use', async () => {
    const { port } = await node();
    const other = new PrivatePortMultiplexer({ logger: silent });
    await expect(other.listen('127.0.0.1', port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await other.close();
  });
});

