/** A partition log as a leader committed it, written by a real single-node partition. */
import pino from 'pino';
import { Partition } from '../../src/partition/partition.js';
import { partitionDbPath } from '../../src/partition/replica.js';
import type { RawLogEntry } from '../../src/storage/log-entry.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';

const silent = pino({ level: 'silent' });

export const publish = (name: string) => ({
  valueType: 'MESSAGE' as const,
  intent: 'PUBLISH',
  key: -1n,
  value: { name, correlationKey: 'k', timeToLive: 600_000, messageId: '', variables: { name }, deadline: -1, tenantId: '<default>' },
});

/** A single-node partition 1 of 1 writing one command per entry; closing it is the caller's. */
export function standalonePartition(dataDir: string): Partition {
  return new Partition({
    partitionId: 1,
    partitionCount: 1,
    dataDir,
    syncMode: 'normal',
    maxBatchSize: 1,
    logger: silent,
    metrics: null,
    host: { route: () => {}, jobsAvailable: () => {} },
  });
}

/** `count` entries, one published message each, written in `dataDir` (which the caller removes). */
export async function committedLog(dataDir: string, count: number): Promise<RawLogEntry[]> {
  const partition = standalonePartition(dataDir);
  try {
    await partition.open();
    for (let i = 0; i < count; i++) {
      const answer = await partition.submit(publish(`m${i}`));
      if (!answer.ok) throw new Error(`publishing m${i} was refused: ${answer.reason}`);
    }
  } finally {
    await partition.close();
  }
  const store = new SqliteStore({ path: partitionDbPath(dataDir, 1), partitionId: 1, partitionCount: 1, syncMode: 'normal' });
  try {
    return store.readEntries(1, 1000);
  } finally {
    store.close();
  }
}
