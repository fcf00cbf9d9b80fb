/**
 * A follower's engine state, held in its partition's storage worker rather than on the main
 * thread (ADR 020, "Following in the storage worker"). The worker decodes each committed entry
 * once, for the history and the state alike, applies it and appends it in one transaction, and
 * checkpoints the state itself. The main thread keeps the node's network work and the engine
 * of the partitions it leads; reads of a followed state come here. When the node is elected,
 * the state is checkpointed and dropped here and the engine loads it from the checkpoint.
 */
import { ModelCache } from '../engine/models.js';
import { hasReached, runRead, stateDump, type ReadQuery } from '../engine/read-views.js';
import type { ZenRecord } from '../engine/records.js';
import { EngineState } from '../engine/state/engine-state.js';
import { monotonicNow } from '../elapsed.js';
import { decodeEntry, type RawLogEntry } from '../storage/log-entry.js';
import type { SqliteStore, StoreInfo } from '../storage/sqlite-store.js';
import { checkpointRows, loadStateRows } from '../storage/state-rows.js';
import type { FollowedRead, StoreMessage } from '../storage/store-protocol.js';
import { NOT_HANDLED, type StoreExtension } from '../storage/store-service.js';
import { applyRecords, compileDeployed } from './log-applier.js';
import { compileAllProcesses } from './model-loader.js';

const REPLAY_CHUNK = 256;

export class FollowerState implements StoreExtension {
  private following = false;
  private partitionId = 0;
  private checkpointIntervalMs = 1000;
  /** Built on first use: a member elected right after it opens never needs it here. */
  private state: EngineState | null = null;
  private readonly models = new ModelCache();
  private lastCheckpoint = -Infinity;
  /** Set after a failed checkpoint: the next one replaces all checkpointed rows. */
  private rewriteAll = false;

  handle(message: StoreMessage, store: SqliteStore): unknown {
    switch (message.op) {
      case 'follow':
        this.following = true;
        this.partitionId = message.partitionId;
        this.checkpointIntervalMs = message.checkpointIntervalMs;
        this.state = null;
        return store.info();
      case 'applyFollowed':
        return this.whenBuilt(store, (state) => this.apply(store, state, message.entries));
      case 'readFollowed':
        if (!this.following) return null;
        return this.whenBuilt(store, (state) => read(state, message.query));
      case 'dumpFollowed':
        if (!this.following) return null;
        return this.whenBuilt(store, stateDump);
      case 'unfollow':
        return this.unfollow(store);
      default:
        return NOT_HANDLED;
    }
  }

  closed(): void {
    this.following = false;
    this.state = null;
  }

  private whenBuilt<T>(store: SqliteStore, use: (state: EngineState) => T | Promise<T>): T | Promise<T> {
    if (!this.following) throw new Error(`Partition ${this.partitionId} is not followed here`);
    if (this.state) return use(this.state);
    return this.build(store).then(use);
  }

  /** The last checkpoint plus the log after it: exactly the state of the last durable entry. */
  private async build(store: SqliteStore): Promise<EngineState> {
    const state = new EngineState(this.partitionId);
    loadStateRows(state, store.stateRows(), `partition ${this.partitionId}'s database`);
    await compileAllProcesses(state, this.models);
    let replayed = 0;
    for (let from = store.info().checkpointIndex + 1; ; ) {
      const entries = store.readEntries(from, REPLAY_CHUNK);
      for (const raw of entries) {
        const { records, keyCounter } = decodeEntry(raw, this.partitionId);
        await compileDeployed(this.models, records);
        applyRecords(state, this.models, records, keyCounter);
        replayed++;
      }
      if (entries.length < REPLAY_CHUNK) break;
      from = entries[entries.length - 1]!.index + 1;
    }
    this.state = state;
    if (replayed > 0) this.checkpoint(store, state);
    this.lastCheckpoint = monotonicNow();
    return state;
  }

  private apply(store: SqliteStore, state: EngineState, entries: readonly RawLogEntry[]): StoreInfo | Promise<StoreInfo> {
    const decoded: ZenRecord[][] = entries.map((raw) => decodeEntry(raw, this.partitionId).records);
    // Deployments are rare: only then is there anything to wait for.
    const deploying = decoded.map((records) => compileDeployed(this.models, records)).filter((p) => p !== null);
    const compiling = deploying.length > 0 ? Promise.all(deploying) : null;
    const write = (): StoreInfo => {
      try {
        store.appendEntries(entries, decoded, (i) => applyRecords(state, this.models, decoded[i]!, entries[i]!.keyCounter));
      } catch (err) {
        // Part of the entries may be applied though nothing was written: rebuild from disk.
        this.state = null;
        throw err;
      }
      if (monotonicNow() - this.lastCheckpoint >= this.checkpointIntervalMs) this.checkpoint(store, state);
      return store.info();
    };
    return compiling ? compiling.then(write) : write();
  }

  private checkpoint(store: SqliteStore, state: EngineState): void {
    const full = this.rewriteAll;
    this.rewriteAll = false;
    this.lastCheckpoint = monotonicNow();
    try {
      store.writeCheckpoint(store.info().lastIndex, checkpointRows(state, full), full);
    } catch (err) {
      // The rows taken for it (deletions too) are no longer tracked.
      this.rewriteAll = true;
      throw err;
    }
  }

  private unfollow(store: SqliteStore): StoreInfo {
    const state = this.state;
    this.following = false;
    this.state = null;
    // What the engine loads: the state as of the last appended entry.
    const { checkpointIndex, lastIndex } = store.info();
    if (state && checkpointIndex < lastIndex) this.checkpoint(store, state);
    return store.info();
  }
}

function read(state: EngineState, query: ReadQuery): FollowedRead {
  return hasReached(state, query) ? { reached: true, value: runRead(state, query) } : { reached: false };
}
