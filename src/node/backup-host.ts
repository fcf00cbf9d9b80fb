/**
 * What the backup service (src/backup/backup-service.ts) needs of a node, standalone or in a
 * cluster: where requests are recorded and which partitions the node leads.
 */
import type { ClusterState } from '../cluster/main/types.js';
import type { BackupHost } from '../backup/backup-service.js';
import { readLastBackupRequest, writeLastBackupRequest } from '../backup/request-file.js';
import { readSettingsFile } from '../config/settings-file.js';
import type { SnapshotSource } from '../backup/take.js';
import type { Partition } from '../partition/partition.js';
import type { ClusterRuntime } from './cluster-runtime.js';

interface HostBasics {
  readonly nodeId: number;
  readonly zenVersion: string;
  readonly partitionCount: number;
  readonly tempDir: string;
}

/**
 * A standalone node: every partition is local and led here; the last request is kept in the
 * data directory, so a node restarted mid-backup takes the parts it had not finished.
 */
export function standaloneBackupHost(basics: HostBasics, dataDir: string, partitions: () => readonly Partition[]): BackupHost {
  let last = readLastBackupRequest(dataDir);
  return {
    ...basics,
    replicationFactor: () => 1,
    clusterState: () => null,
    settings: () => Object.fromEntries([...readSettingsFile(dataDir)].map(([key, override]) => [key, override.value])),
    lastRequested: () => last,
    record: async (backupId) => {
      if (backupId <= last) return;
      await writeLastBackupRequest(dataDir, backupId);
      last = backupId;
    },
    ledPartitions: () => new Map(partitions().filter((p) => p.isReady).map((p) => [p.id, { snapshot: (path: string) => p.store.backup(path) }])),
  };
}

/** A cluster node: requests go through the cluster log, which every node folds alike. */
export function clusterBackupHost(basics: HostBasics, runtime: ClusterRuntime): BackupHost {
  const state = (): ClusterState | null => runtime.mainCluster?.state ?? null;
  return {
    ...basics,
    replicationFactor: () => state()?.config?.replicationFactor ?? 0,
    clusterState: () => clusterStateJson(state()),
    settings: () => Object.fromEntries([...(state()?.settings ?? new Map())].map(([key, setting]) => [key, setting.value])),
    lastRequested: () => state()?.lastBackupId ?? 0,
    record: async (backupId) => {
      const main = runtime.mainCluster;
      if (!main) throw new Error('This node has not joined the cluster yet');
      await main.append({ type: 'ClusterBackupRequest', backupId });
    },
    ledPartitions: () => {
      const out = new Map<number, SnapshotSource>();
      for (const [partitionId, member] of runtime.directory.members) {
        const leader = member.leader;
        if (leader) out.set(partitionId, { snapshot: (path) => leader.store.backup(path) });
      }
      return out;
    },
  };
}

/** The cluster state as plain JSON for the backup's manifest (maps become arrays). */
export function clusterStateJson(state: ClusterState | null): unknown {
  if (!state) return null;
  return {
    version: state.version,
    config: state.config,
    nodes: [...state.nodes.values()],
    partitions: [...state.partitions].map(([partitionId, members]) => ({ partitionId, members: [...members.values()] })),
    partitionLogs: [...state.partitionLogs].map(([partitionId, etcdClusterId]) => ({ partitionId, etcdClusterId })),
    lastBackupId: state.lastBackupId ?? 0,
    settings: Object.fromEntries(state.settings ?? new Map()),
  };
}
