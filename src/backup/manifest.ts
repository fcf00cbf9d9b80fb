/**
 * What a backup store holds about a backup besides its files: one manifest for the cluster
 * (written by the node that accepted the request) and one per partition (written by whoever
 * took that partition). Separate objects, so no two nodes ever write the same one at the same
 * time, and the status of a backup can be read from the store alone — by any node, or by
 * `zen restore` with no node running.
 */
import { ZenError } from '../errors.js';

export type PartitionBackupState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
/** Zeebe's overall states: INCOMPLETE = some partitions have no backup and none is in progress. */
export type BackupState = PartitionBackupState | 'INCOMPLETE';

/** One stored file: its name inside the backup, and what it must be when read back. */
export interface FileEntry {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ClusterManifest {
  readonly backupId: number;
  readonly zenVersion: string;
  readonly partitionCount: number;
  readonly replicationFactor: number;
  /** The cluster state when the backup was requested (nodes, config, partition-log placement); null standalone. */
  readonly clusterState: unknown;
  /**
   * The settings changed at run time when the backup was requested (option name → value as
   * text): the cluster's overrides, or a standalone node's settings.json. Absent in backups made
   * before Zen kept them.
   */
  readonly settings?: Readonly<Record<string, string>>;
  readonly createdAt: string;
  /** Node that accepted the request. */
  readonly nodeId: number;
}

export interface PartitionManifest {
  readonly backupId: number;
  readonly partitionId: number;
  readonly state: PartitionBackupState;
  readonly failureReason?: string;
  /** The partition-log entry the snapshot reaches, and the position of its last record. */
  readonly logIndex: number;
  readonly position: number;
  readonly nodeId: number;
  readonly zenVersion: string;
  readonly partitionCount: number;
  readonly createdAt: string;
  readonly lastUpdatedAt: string;
  readonly files: readonly FileEntry[];
}

export const CLUSTER_MANIFEST = 'cluster.json';

export function partitionManifestName(partitionId: number): string {
  return `partition-${partitionId}.json`;
}

export function partitionFileName(partitionId: number): string {
  return `partition-${partitionId}/zen.db`;
}

/** Backup ids are Zeebe's checkpoint ids: positive integers, each above the last one requested. */
export function parseBackupId(raw: unknown): number {
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ZenError('INVALID_ARGUMENT', `A backup id must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The whole backup's state from its partitions' (Zeebe's aggregation). */
export function overallState(partitionCount: number, partitions: readonly PartitionManifest[]): BackupState {
  if (partitions.some((p) => p.state === 'FAILED')) return 'FAILED';
  if (partitions.some((p) => p.state === 'IN_PROGRESS')) return 'IN_PROGRESS';
  const completed = new Set(partitions.filter((p) => p.state === 'COMPLETED').map((p) => p.partitionId));
  return partitionCount > 0 && completed.size >= partitionCount ? 'COMPLETED' : 'INCOMPLETE';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const num = (o: Record<string, unknown>, k: string): boolean => typeof o[k] === 'number' && Number.isFinite(o[k]);
const str = (o: Record<string, unknown>, k: string): boolean => typeof o[k] === 'string';

/** A manifest read back from a store: anything malformed is refused rather than trusted. */
export function checkClusterManifest(value: unknown, where: string): ClusterManifest {
  if (
    isRecord(value) &&
    num(value, 'backupId') &&
    num(value, 'partitionCount') &&
    num(value, 'replicationFactor') &&
    str(value, 'zenVersion') &&
    str(value, 'createdAt') &&
    (value.settings === undefined || (isRecord(value.settings) && Object.values(value.settings).every((v) => typeof v === 'string')))
  ) {
    return value as unknown as ClusterManifest;
  }
  throw new ZenError('INTERNAL', `The backup manifest ${where} is malformed`);
}

export function checkPartitionManifest(value: unknown, where: string): PartitionManifest {
  const states = ['IN_PROGRESS', 'COMPLETED', 'FAILED'];
  if (
    isRecord(value) &&
    num(value, 'backupId') &&
    num(value, 'partitionId') &&
    num(value, 'logIndex') &&
    num(value, 'position') &&
    num(value, 'partitionCount') &&
    states.includes(value.state as string) &&
    Array.isArray(value.files) &&
    value.files.every((f) => isRecord(f) && str(f, 'name') && num(f, 'size') && str(f, 'sha256'))
  ) {
    return value as unknown as PartitionManifest;
  }
  throw new ZenError('INTERNAL', `The backup manifest ${where} is malformed`);
}
