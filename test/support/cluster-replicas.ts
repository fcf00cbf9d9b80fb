/**
 * Deterministic replay across a stopped cluster: every member's database of a partition must
 * hold the same state after the same log, whether it was built by leading (processing
 * commands) or by following (applying entries), across kills, restarts and freezes.
 *
 * Nodes that stopped at different moments may have applied different prefixes of the log
 * (a member that stopped last may even have led a last batch), so each replica is first
 * brought to the head of the partition log in etcd exactly as a follower does it. Then:
 * - the local logs agree entry by entry wherever they overlap (no forked entry was ever
 *   committed anywhere);
 * - the engine states are equal (`dumpState`), and so are the checkpointed state rows.
 */
import { existsSync } from 'node:fs';
import pino from 'pino';
import { createEtcdClient } from '../../src/cluster/etcd/client.js';
import { ReplicatedLog } from '../../src/cluster/partition/replicated-log.js';
import { partitionDbPath, Replica } from '../../src/partition/replica.js';
import { decodeEntry, type RawLogEntry } from '../../src/storage/log-entry.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { dumpState } from './engine-harness.js';
import type { ZenCluster } from './cluster-process.js';

const logger = pino({ level: 'silent' });

export interface ReplicaComparison {
  readonly partitionId: number;
  readonly head: number;
  /** node id → last index before catching up from etcd. */
  readonly stoppedAt: Record<number, number>;
  /** Local log entries compared across members (index × members). */
  readonly entriesCompared: number;
  readonly problems: string[];
}

/** Compares the databases of `partitionId` on `nodeIds`; the nodes must be stopped, etcd running. */
export async function compareReplicas(cluster: ZenCluster, partitionId: number, nodeIds: readonly number[]): Promise<ReplicaComparison> {
  const problems: string[] = [];
  const etcd = createEtcdClient({ endpoints: cluster.etcd.endpoints });
  const stoppedAt: Record<number, number> = {};
  const states = new Map<number, unknown>();
  const rows = new Map<number, Array<[string, string, Uint8Array]>>();
  const logs = new Map<number, Map<number, RawLogEntry>>();
  let head = 0;
  try {
    const log = new ReplicatedLog(etcd, 'zen', partitionId, logger);
    head = await log.head();
    for (const nodeId of nodeIds) {
      const { dataDir } = cluster.node(nodeId);
      const path = partitionDbPath(dataDir, partitionId);
      if (!existsSync(path)) {
        problems.push(`node ${nodeId} has no database for partition ${partitionId}`);
        continue;
      }
      const replica = await Replica.open({ dataDir, partitionId, partitionCount: cluster.options.partitions, syncMode: 'normal', logger });
      try {
        stoppedAt[nodeId] = replica.lastIndex;
        while (replica.lastIndex < head) {
          const from = replica.lastIndex + 1;
          const entries = await log.read(from, Math.min(head, from + 255));
          if (entries.length === 0) {
            problems.push(`node ${nodeId}: entries from ${from} are no longer in etcd (head ${head})`);
            break;
          }
          await replica.applyCommittedRaw(entries);
        }
        if (replica.lastIndex !== head) problems.push(`node ${nodeId} ends at index ${replica.lastIndex}, the log head is ${head}`);
        states.set(nodeId, dumpState(replica.state));
        await replica.checkpoint();
      } finally {
        await replica.close();
      }
      const store = new SqliteStore({ path, partitionId, partitionCount: cluster.options.partitions, syncMode: 'normal' });
      try {
        rows.set(nodeId, store.stateRows());
        const entries = new Map<number, RawLogEntry>();
        for (let from = 1; ; ) {
          const batch = store.readEntries(from, 1000);
          for (const entry of batch) entries.set(entry.index, entry);
          if (batch.length < 1000) break;
          from = batch[batch.length - 1]!.index + 1;
        }
        logs.set(nodeId, entries);
      } finally {
        store.close();
      }
    }
  } finally {
    etcd.close();
  }

  // The local logs never disagree about an index.
  let entriesCompared = 0;
  const [first, ...others] = [...logs.keys()];
  if (first !== undefined) {
    for (const other of others) {
      for (const [index, a] of logs.get(first)!) {
        const b = logs.get(other)!.get(index);
        if (!b) continue;
        entriesCompared++;
        if (a.firstPosition !== b.firstPosition || a.lastPosition !== b.lastPosition || a.keyCounter !== b.keyCounter || Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) !== 0) {
          const da = decodeEntry(a, partitionId).records;
          const db = decodeEntry(b, partitionId).records;
          const recordsDiffer = firstDifference(da, db);
          problems.push(
            `partition ${partitionId} entry ${index} differs between node ${first} and node ${other}: ` +
              (recordsDiffer ? `records ${recordsDiffer}` : 'same records, different encoding'),
          );
        }
      }
    }
  }
  // Same log, same state.
  const [reference, ...rest] = [...states.keys()];
  for (const nodeId of rest) {
    if (!deepEqual(states.get(reference!), states.get(nodeId))) {
      problems.push(`partition ${partitionId}: engine state of node ${nodeId} differs from node ${reference}: ${tableDifferences(states.get(reference!) as DumpedState, states.get(nodeId) as DumpedState)}`);
    }
    const a = rows.get(reference!)!;
    const b = rows.get(nodeId)!;
    const rowsEqual = a.length === b.length && a.every((row, i) => row[0] === b[i]![0] && row[1] === b[i]![1] && Buffer.compare(Buffer.from(row[2]), Buffer.from(b[i]![2])) === 0);
    if (!rowsEqual) problems.push(`partition ${partitionId}: checkpointed state rows of node ${nodeId} (${b.length}) differ from node ${reference} (${a.length})`);
  }
  return { partitionId, head, stoppedAt, entriesCompared, problems };
}

type DumpedState = Record<string, Array<[string, unknown]>>;

/** Rows only one side has, and rows both have with different values, per table. */
function tableDifferences(a: DumpedState, b: DumpedState): string {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = new Map(a[table] ?? []);
    const right = new Map(b[table] ?? []);
    for (const [key, value] of left) {
      if (!right.has(key)) out.push(`${table}[${key}] only in the first: ${show(value)}`);
      else {
        const diff = firstDifference(value, right.get(key));
        if (diff) out.push(`${table}[${key}] ${diff}`);
      }
    }
    for (const [key, value] of right) if (!left.has(key)) out.push(`${table}[${key}] only in the second: ${show(value)}`);
  }
  return out.join('; ');
}

function deepEqual(a: unknown, b: unknown): boolean {
  return firstDifference(a, b) === null;
}

/** A path to the first difference of two plain values (bigint, Uint8Array and Map aware), or null. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return `${path || '<root>'}: ${show(a)} ≠ ${show(b)}`;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0 ? null : `${path}: bytes differ`;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map)) return `${path}: Map vs not`;
    return firstDifference(Object.fromEntries([...a].map(([k, v]) => [String(k), v])), Object.fromEntries([...b].map(([k, v]) => [String(k), v])), path);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs not`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
  for (const key of keys) {
    const diff = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (diff) return diff;
  }
  return null;
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 600) ?? String(value);
  } catch {
    return String(value);
  }
}
