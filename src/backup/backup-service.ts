/**
 * A node's part in backups: accepting requests (the system port's POST), taking the backup of
 * every partition it leads for the last requested backup id, and answering status, list and
 * delete from the store. What is requested lives with the host — the cluster log on a cluster,
 * memory on a standalone node — and what was taken lives in the store, so any node answers the
 * same and a leader elected mid-backup finds out from the store that its partition is not done.
 * A deleted backup leaves a tombstone in the store (tombstone.ts), which every node honours.
 */
import type { Logger } from 'pino';
import { ZenError } from '../errors.js';
import {
  checkClusterManifest,
  checkPartitionManifest,
  CLUSTER_MANIFEST,
  overallState,
  partitionManifestName,
  type BackupState,
  type ClusterManifest,
  type PartitionManifest,
} from './manifest.js';
import type { BackupStore } from './store.js';
import { takePartitionBackup, type SnapshotSource } from './take.js';
import { deleteBackup, isDeleted, TOMBSTONE } from './tombstone.js';

export interface BackupHost {
  readonly nodeId: number;
  readonly zenVersion: string;
  readonly partitionCount: number;
  readonly tempDir: string;
  replicationFactor(): number;
  /** The cluster state as JSON, for the cluster manifest (null standalone). */
  clusterState(): unknown;
  /** The settings changed at run time that are in force (option name → value as text). */
  settings(): Record<string, string>;
  /** The highest backup id requested so far (0: none). */
  lastRequested(): number;
  /** Records a request; resolves once it is durable where every node reads requests. */
  record(backupId: number): Promise<void>;
  /** The partitions this node leads now, and how to snapshot each. */
  ledPartitions(): ReadonlyMap<number, SnapshotSource>;
}

/** Zeebe's backup status (GET /actuator/backups/{id}). */
export interface BackupStatusView {
  readonly backupId: number;
  readonly state: BackupState;
  readonly failureReason?: string;
  readonly details: readonly PartitionStatusView[];
}

export interface PartitionStatusView {
  readonly partitionId: number;
  readonly state: PartitionManifest['state'];
  readonly failureReason?: string;
  readonly createdAt: string;
  readonly lastUpdatedAt: string;
  readonly checkpointPosition: number;
  readonly brokerId: number;
  readonly brokerVersion: string;
}

const SCAN_INTERVAL_MS = 1000;

export class BackupService {
  private timer: NodeJS.Timeout | null = null;
  /** Backup id the sets below are about. */
  private scanning = 0;
  /** Partitions whose part of `scanning` is in the store as COMPLETED or FAILED. */
  private readonly done = new Set<number>();
  /** `backupId:partitionId` being taken by this node now. */
  private readonly taking = new Set<string>();
  /** Takes under way, for `settled`. */
  private readonly takes = new Set<Promise<unknown>>();
  private scan: Promise<void> = Promise.resolve();
  private creating: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly store: BackupStore,
    private readonly host: BackupHost,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poke(), SCAN_INTERVAL_MS);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.scan.catch(() => {});
  }

  /** Resolves once the scan and every take this node started so far have finished. */
  async settled(): Promise<void> {
    await this.scan.catch(() => {});
    await Promise.allSettled([...this.takes]);
  }

  /** Requests a backup; resolves once the request is recorded (the backup is taken in the background). */
  create(backupId: number): Promise<void> {
    const run = this.creating.then(() => this.createNow(backupId));
    this.creating = run.catch(() => {});
    return run;
  }

  private async createNow(backupId: number): Promise<void> {
    // A restored cluster starts with no requests in its log; the store still has the old ids.
    const stored = await this.store.listBackupIds();
    const last = Math.max(this.host.lastRequested(), stored[stored.length - 1] ?? 0);
    if (backupId <= last) {
      throw new ZenError('FAILED_PRECONDITION', `Backup id ${backupId} must be greater than the last requested backup id ${last}`);
    }
    await this.host.record(backupId);
    const manifest: ClusterManifest = {
      backupId,
      zenVersion: this.host.zenVersion,
      partitionCount: this.host.partitionCount,
      replicationFactor: this.host.replicationFactor(),
      clusterState: this.host.clusterState(),
      settings: this.host.settings(),
      createdAt: new Date().toISOString(),
      nodeId: this.host.nodeId,
    };
    await this.store.writeManifest(backupId, CLUSTER_MANIFEST, manifest);
    this.logger.info({ backupId, store: this.store.description }, 'backup requested');
    this.poke();
  }

  /** Looks for partitions this node leads whose part of the last requested backup is not done. */
  poke(): void {
    if (this.stopped) return;
    this.scan = this.scan.then(() => this.scanOnce()).catch((err) => this.logger.warn({ err }, 'looking for backups to take failed'));
  }

  private async scanOnce(): Promise<void> {
    const backupId = this.host.lastRequested();
    if (backupId === 0 || this.stopped) return;
    if (backupId !== this.scanning) {
      this.scanning = backupId;
      this.done.clear();
    }
    const due = [...this.host.ledPartitions()].filter(([partitionId]) => !this.done.has(partitionId) && !this.taking.has(`${backupId}:${partitionId}`));
    if (due.length === 0) return;
    // Deleted by an operator: the parts not taken stay untaken (and none is taken again).
    if (await isDeleted(this.store, backupId)) {
      for (const [partitionId] of due) this.done.add(partitionId);
      return;
    }
    for (const [partitionId, source] of due) {
      const key = `${backupId}:${partitionId}`;
      const found = await this.store.readManifest(backupId, partitionManifestName(partitionId));
      const state = found === null ? null : checkPartitionManifest(found, `${backupId}/${partitionManifestName(partitionId)}`).state;
      if (state === 'COMPLETED' || state === 'FAILED') {
        this.done.add(partitionId);
        continue;
      }
      // Absent, or IN_PROGRESS by a leader that is gone: this node leads the partition now.
      this.taking.add(key);
      const take = takePartitionBackup({
        store: this.store,
        backupId,
        partitionId,
        partitionCount: this.host.partitionCount,
        nodeId: this.host.nodeId,
        zenVersion: this.host.zenVersion,
        source,
        tempDir: this.host.tempDir,
        logger: this.logger.child({ partition: partitionId }),
      })
        .then(
          () => {
            if (this.scanning === backupId) this.done.add(partitionId);
          },
          (err) => this.logger.warn({ err, backupId, partition: partitionId }, 'could not record the partition backup in the store; trying again'),
        )
        .finally(() => {
          this.taking.delete(key);
          this.takes.delete(take);
          // A newer request may have come in meanwhile, or this one failed to be recorded.
          if (this.scanning !== backupId || !this.done.has(partitionId)) this.poke();
        });
      this.takes.add(take);
    }
  }

  async status(backupId: number): Promise<BackupStatusView> {
    const names = await this.store.listNames(backupId);
    if (names.length === 0) throw new ZenError('NOT_FOUND', `No backup with id ${backupId} in the ${this.store.description}`);
    if (names.includes(TOMBSTONE)) throw new ZenError('NOT_FOUND', `Backup ${backupId} was deleted from the ${this.store.description}`);
    const clusterRaw = await this.store.readManifest(backupId, CLUSTER_MANIFEST);
    const cluster = clusterRaw === null ? null : checkClusterManifest(clusterRaw, `${backupId}/${CLUSTER_MANIFEST}`);
    const partitions: PartitionManifest[] = [];
    for (const name of names.filter((n) => /^partition-\d+\.json$/.test(n))) {
      const raw = await this.store.readManifest(backupId, name);
      if (raw !== null) partitions.push(checkPartitionManifest(raw, `${backupId}/${name}`));
    }
    partitions.sort((a, b) => a.partitionId - b.partitionId);
    const partitionCount = cluster?.partitionCount ?? partitions[0]?.partitionCount ?? 0;
    let state = overallState(partitionCount, partitions);
    // Partitions missing from the backup last requested are still to be taken (by their leader,
    // once there is one); missing from an older one, they never will be: a newer request replaced it.
    if (state === 'INCOMPLETE' && backupId === this.host.lastRequested()) state = 'IN_PROGRESS';
    const failed = partitions.filter((p) => p.state === 'FAILED');
    const failureReason =
      state === 'FAILED'
        ? failed.map((p) => `partition ${p.partitionId}: ${p.failureReason ?? 'failed'}`).join('; ')
        : state === 'INCOMPLETE'
          ? `Backup of partitions ${missing(partitionCount, partitions).join(', ')} is missing`
          : undefined;
    return {
      backupId,
      state,
      ...(failureReason !== undefined ? { failureReason } : {}),
      details: partitions.map((p) => ({
        partitionId: p.partitionId,
        state: p.state,
        ...(p.failureReason !== undefined ? { failureReason: p.failureReason } : {}),
        createdAt: p.createdAt,
        lastUpdatedAt: p.lastUpdatedAt,
        checkpointPosition: p.position,
        brokerId: p.nodeId,
        brokerVersion: p.zenVersion,
      })),
    };
  }

  /** Every backup in the store, newest first. */
  async list(): Promise<BackupStatusView[]> {
    const ids = await this.store.listBackupIds();
    const out: BackupStatusView[] = [];
    for (const id of ids.reverse()) {
      try {
        out.push(await this.status(id));
      } catch (err) {
        // Deleted (a tombstone), or deleted between the listing and the read.
        if (!(err instanceof ZenError && err.code === 'NOT_FOUND')) throw err;
      }
    }
    return out;
  }

  async delete(backupId: number): Promise<void> {
    if (!(await deleteBackup(this.store, backupId, new Date()))) throw new ZenError('NOT_FOUND', `No backup with id ${backupId} in the ${this.store.description}`);
    this.logger.info({ backupId }, 'backup deleted');
  }
}

function missing(partitionCount: number, partitions: readonly PartitionManifest[]): number[] {
  const have = new Set(partitions.map((p) => p.partitionId));
  const out: number[] = [];
  for (let id = 1; id <= partitionCount; id++) if (!have.has(id)) out.push(id);
  return out;
}
