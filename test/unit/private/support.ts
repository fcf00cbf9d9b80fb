/** Real private-port servers on ephemeral loopback ports, with scripted handlers. */
import type { PartitionRead, PartitionReadResult } from '../../../src/history/read.js';
import { pino, type Logger } from 'pino';
import type { CommandResponse } from '../../../src/engine/processing/types.js';
import { ZenError } from '../../../src/errors.js';
import type { ReadAnswer } from '../../../src/node/api.js';
import type { ClusterAuth } from '../../../src/cluster/private/auth.js';
import type { WireCommand } from '../../../src/cluster/private/command-codec.js';
import type { RawLogEntry } from '../../../src/storage/log-entry.js';
import { createPrivateServer, type PrivateHandlers, type PrivateServer } from '../../../src/cluster/private/internal-service.js';

export const silent: Logger = pino({ level: 'silent' });

export interface SubmitCall {
  readonly partitionId: number;
  readonly command: WireCommand;
  readonly awaitTimeoutMs: number | null;
}

/** Handlers that record what reaches them; tests replace `submit` and `deliver` to script answers. */
export class FakeNode implements PrivateHandlers {
  readonly submits: SubmitCall[] = [];
  readonly delivered: Array<{ partitionId: number; command: WireCommand }> = [];
  readonly listeners = new Set<(partitionId: number, type: string, served: boolean) => void>();
  answer: (call: SubmitCall) => Promise<CommandResponse> | CommandResponse = () => ({ ok: true, key: 1n, value: null });
  onDeliver: (partitionId: number, command: WireCommand) => void = () => {};
  snapshot?: PrivateHandlers['snapshot'];
  /** Answers Read; the default has no replica in sync. */
  onRead: NonNullable<PrivateHandlers['read']> = (partitionId) => {
    throw new ZenError('UNAVAILABLE', `no replica of partition ${partitionId} in sync`);
  };
  readonly reads: Array<{ partitionId: number; query: PartitionRead }> = [];
  /** Pushed entries, one item per message, as they arrived. */
  readonly pushes: Array<{ partitionId: number; entries: RawLogEntry[] }> = [];
  /** Runs on every push before it is recorded; tests make it throw to refuse one. */
  onPush: (partitionId: number, entries: RawLogEntry[]) => void = () => {};

  push(partitionId: number, entries: RawLogEntry[]): void {
    this.onPush(partitionId, entries);
    this.pushes.push({ partitionId, entries });
  }

  read(partitionId: number, query: PartitionRead): Promise<ReadAnswer<PartitionReadResult>> | ReadAnswer<PartitionReadResult> {
    this.reads.push({ partitionId, query });
    return this.onRead(partitionId, query);
  }

  async submit(partitionId: number, command: WireCommand, awaitTimeoutMs: number | null): Promise<CommandResponse> {
    const call = { partitionId, command, awaitTimeoutMs };
    this.submits.push(call);
    return this.answer(call);
  }

  deliver(partitionId: number, command: WireCommand): void {
    this.onDeliver(partitionId, command);
    this.delivered.push({ partitionId, command });
  }

  onJobsAvailable(listener: (partitionId: number, type: string, served: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(partitionId: number, type: string, served = false): void {
    for (const listener of this.listeners) listener(partitionId, type, served);
  }
}

export interface RunningNode {
  readonly node: FakeNode;
  readonly server: PrivateServer;
  readonly port: number;
  readonly address: string;
}

export async function startNode(node = new FakeNode(), port = 0, nodeId = 7, auth?: ClusterAuth): Promise<RunningNode> {
  const server = createPrivateServer({ handlers: node, logger: silent, nodeId, auth });
  const bound = await server.listen('127.0.0.1', port);
  return { node, server, port: bound, address: `127.0.0.1:${bound}` };
}

export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
