/**
 * What a storage worker thread runs: it owns the partition's SQLite connection, so fsyncs and
 * writes never block the event loop that runs the engine, and answers requests one at a time,
 * in the order they came. Appends that queue up while a write is in progress are committed
 * together, in one transaction and one fsync. An extension (a follower's state: see
 * partition/follower-state.ts) may answer further requests, synchronously or not; the next
 * request waits for it either way.
 */
import type { MessagePort } from 'node:worker_threads';
import { isZenError } from '../errors.js';
import type { RawLogEntry } from './log-entry.js';
import { SqliteStore } from './sqlite-store.js';
import type { StoreMessage, StoreReply } from './store-protocol.js';

export const NOT_HANDLED: unique symbol = Symbol('not handled');

export interface StoreExtension {
  /** The answer to `message`, or NOT_HANDLED when its op is not the extension's. */
  handle(message: StoreMessage, store: SqliteStore): unknown;
  /** The store was closed: what was built on it is gone. */
  closed?(): void;
}

export function serveStore(port: MessagePort, extension?: StoreExtension): void {
  let store: SqliteStore | null = null;
  const queue: StoreMessage[] = [];
  let draining = false;
  /** Online backups running: they copy between other requests (SqliteStore.backupTo). */
  const backups = new Set<Promise<void>>();

  function run(message: StoreMessage): unknown {
    if (message.op === 'open') {
      store = new SqliteStore(message.options);
      return store.info();
    }
    if (!store) throw new Error('The store is not open');
    if (extension) {
      const answer = extension.handle(message, store);
      if (answer !== NOT_HANDLED) return answer;
    }
    switch (message.op) {
      case 'info':
        return store.info();
      case 'stateRows':
        return store.stateRows();
      case 'readEntries':
        return store.readEntries(message.fromIndex, message.limit);
      case 'checkpoint':
        store.writeCheckpoint(message.index, message.rows, message.reset);
        return null;
      case 'compact':
        return store.compact(message.keepFromIndex);
      case 'injectFault':
        store.injectFault(message.kind);
        return null;
      case 'close':
        store.close();
        store = null;
        extension?.closed?.();
        return null;
      case 'append':
        store.appendEntries(message.entries);
        return null;
      case 'searchHistory':
        return store.searchHistory(message.search);
      case 'aggregateHistory':
        return store.aggregateHistory(message.aggregate);
      case 'historyExpired':
        return store.historyExpired(message.cutoff);
      case 'snapshot':
        // Between other requests: the worker does nothing else meanwhile, so it is one moment's state.
        return store.snapshotTo(message.path);
      default:
        throw new Error(`The storage worker does not know '${message.op}'`);
    }
  }

  function reply(id: number, outcome: { result: unknown } | { error: unknown }): void {
    let message: StoreReply;
    if ('result' in outcome) message = { id, ok: true, result: outcome.result };
    else {
      const err = outcome.error;
      message = {
        id,
        ok: false,
        error: { message: err instanceof Error ? err.message : String(err), code: isZenError(err) ? err.code : undefined, zen: isZenError(err) },
      };
    }
    port.postMessage(message);
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      if (queue[0]!.op === 'backup' && store) {
        const message = queue.shift() as StoreMessage & { path: string };
        const running: Promise<void> = store.backupTo(message.path).then(
          (result) => reply(message.id, { result }),
          (error: unknown) => reply(message.id, { error }),
        );
        backups.add(running);
        void running.finally(() => backups.delete(running));
        continue;
      }
      // The connection closes only after the backups reading it have finished.
      if (queue[0]!.op === 'close' && backups.size > 0) {
        await Promise.allSettled([...backups]);
        continue;
      }
      // Consecutive appends become one transaction.
      if (queue[0]!.op === 'append' && store) {
        const appends: StoreMessage[] = [];
        while (queue.length > 0 && queue[0]!.op === 'append') appends.push(queue.shift()!);
        try {
          store.appendEntries(appends.flatMap((m) => (m as { entries: readonly RawLogEntry[] }).entries));
          for (const m of appends) reply(m.id, { result: null });
        } catch (error) {
          for (const m of appends) reply(m.id, { error });
        }
        continue;
      }
      const message = queue.shift()!;
      try {
        let result = run(message);
        if (result instanceof Promise) result = await result;
        reply(message.id, { result });
      } catch (error) {
        reply(message.id, { error });
      }
    }
  }

  function schedule(): void {
    if (draining) return;
    draining = true;
    setImmediate(() => {
      void drain().finally(() => {
        draining = false;
        if (queue.length > 0) schedule();
      });
    });
  }

  port.on('message', (message: StoreMessage) => {
    queue.push(message);
    schedule();
  });
}
