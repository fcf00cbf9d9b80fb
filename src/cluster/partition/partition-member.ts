/**
 * This node's membership in one partition group. Always a replica that follows the
 * partition log in etcd; also a candidate in the partition's election. Elected, it catches
 * up to the head of the log, then runs the engine (a Partition) whose every batch is
 * appended to etcd — fenced on the leadership — before it is committed locally and answered.
 * When the fence fails (deposed, lease lost) it drops what it processed but never
 * replicated, and follows again.
 */
import type { PartitionStore } from '../../storage/partition-store.js';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { runRead, stateDump, type ReadQuery } from '../../engine/read-views.js';
import type { FollowedRead } from '../../storage/store-protocol.js';
import type { PartitionMetrics } from '../../metrics/index.js';
import type { ZenTracing } from '../../tracing/zen-tracing.js';
import { Partition, REOPEN_FIRST_DELAY_MS, REOPEN_MAX_DELAY_MS, type PartitionHost } from '../../partition/partition.js';
import { partitionDbPath, Replica } from '../../partition/replica.js';
import { syncDirectoryAsync } from '../../storage/durable-paths.js';
import type { RawLogEntry } from '../../storage/log-entry.js';
import { Election, type NodeLease } from './election.js';
import { LogAppender } from './log-appender.js';
import { LogFootprint } from './log-footprint.js';
import { type Fence, FencedError, type HeadMark, type LogObserver, ReplicatedLog } from './replicated-log.js';
import { monotonicNow } from '../../elapsed.js';

export type MemberRole = 'FOLLOWER' | 'LEADER';

/** A replica reads may be served from (`PartitionMember.readable`). */
export interface ReadableReplica {
  readonly role: 'LEADER' | 'FOLLOWER';
  /** For the history (its searches run in the storage worker). */
  readonly store: PartitionStore;
  /** Resolves once what the engine processed is durable (a leader's state runs ahead of its commits). */
  settled(): Promise<void>;
  /** A read of the state; null when the replica can no longer answer (elected meanwhile). */
  read(query: ReadQuery): Promise<FollowedRead | null>;
  /** Every row of the state, table by table (to compare replicas). */
  dump(): Promise<Record<string, Array<[string, unknown]>>>;
}

export interface PartitionMemberOptions {
  readonly partitionId: number;
  readonly partitionCount: number;
  /** `--multi-tenancy`, for the engine while this node leads. */
  readonly multiTenancy?: boolean;
  readonly nodeId: number;
  readonly dataDir: string;
  readonly logger: Logger;
  readonly metrics: PartitionMetrics | null;
  /** Handed to the partition while this node leads it. */
  readonly tracing?: ZenTracing;
  readonly etcd: Etcd3;
  readonly clusterPrefix: string;
  readonly lease: () => NodeLease;
  readonly host: PartitionHost;
  readonly maxBatchSize: number;
  /** Tells the main cluster about a role change (ClusterNodePartitionChange). */
  readonly announce: (role: MemberRole, term: number) => Promise<void>;
  /** Fetches a snapshot of the partition from the current leader into `path`. */
  readonly fetchSnapshot: (partitionId: number, path: string) => Promise<{ index: number }>;
  /** Partition members per cluster state, for compacting the etcd log. */
  readonly members: () => readonly number[];
  /**
   * The partition's preferred leader (a node id), so that leaderships spread over the nodes:
   * others enter the election a little later at start-up, and a leader that is not the
   * preferred one hands over to it once it is back and caught up (see `handoverAfterMs`).
   */
  readonly preferredLeaderId?: () => number | null;
  /** Whether a node is alive per cluster state (a hand-over goes only to a live node). */
  readonly nodeActive?: (nodeId: number) => boolean;
  /**
   * How long this node must have led before it hands the partition to its preferred leader;
   * also how long that node must have been a candidate; a function is read at every check (a
   * runtime setting). Unset: never hands over.
   */
  readonly handoverAfterMs?: number | (() => number);
  /**
   * A node this member, while leading, must hand the partition to now (a cluster change's
   * PARTITION_LEADER_TRANSFER step, ADR 017), or null. Unlike the preferred-leader hand-over
   * there is no delay: the operator asked for it and the change waits for it.
   */
  readonly transferTarget?: () => number | null;
  /** Entries kept in etcd behind the head even if a member lags further (it then needs a snapshot). */
  readonly maxRetainedEntries?: number;
  /** Bytes of entries kept in etcd behind the head even if a member lags further (default 64 MiB). */
  readonly maxLogBytes?: () => number;
  readonly observeEtcd?: LogObserver;
  readonly logRetentionEntries?: number;
  /**
   * How long a follower may go without reading the log head from etcd before it stops serving
   * reads and reporting itself ready: a follower cut off from etcd cannot tell how far behind
   * it is (default 3 s).
   */
  readonly maxFollowerStalenessMs?: number;
  /** Appends in flight to etcd at once (default 1: see the partitionAppendsInFlight option). */
  readonly maxAppendsInFlight?: number;
  /** Least ms between the starts of two appends (LogAppenderOptions.minGapMs); default 0. */
  readonly appendGapMs?: number | (() => number);
  /**
   * Leader: hands each committed entry to the followers over the private port, so that they
   * need not read it from etcd (etcd then carries each entry once, not once per follower).
   */
  readonly pushToFollowers?: (entry: RawLogEntry) => void;
  /** Keep the queryable history (ADR 010); default true. */
  readonly history?: boolean;
  /** As leader: delete the history of instances ended longer ago than this (ms; unset or 0: never). */
  readonly historyRetentionMs?: number | (() => number);
  /** Leader: client commands queued beyond which new work is refused (`--backpressure-limit`, read live). */
  readonly maxQueuedCommands?: number | (() => number);
  /** Why the leader must refuse a client command now (etcd near its quota), or null: see Partition's option. */
  readonly admission?: (finishing: boolean) => string | null;
}

const READ_BATCH = 256;
/** Target size of one catch-up read (etcd responses are single gRPC messages). */
const READ_BYTES = 16 * 1024 * 1024;
const REPORT_INTERVAL_MS = 2000;
/** An unchanged applied index is reported again after this long. */
const REPORT_AGAIN_MS = 60_000;
const COMPACT_INTERVAL_MS = 5000;
const DEFAULT_MAX_RETAINED = 10_000;
const DEFAULT_MAX_LOG_BYTES = 64 * 1024 * 1024;
const RETRY_MS = 500;
const NON_PREFERRED_DELAY_MS = 1500;
const REANNOUNCE_INTERVAL_MS = 2000;
const HANDOVER_CHECK_MS = 5000;
const TRANSFER_CHECK_MS = 250;
/** A preferred leader further behind than this (by its last checkpoint) is not handed the partition yet. */
const HANDOVER_MAX_LAG = 1000;
const DEFAULT_MAX_FOLLOWER_STALENESS_MS = 3000;
const DEFAULT_MAX_APPENDS_IN_FLIGHT = 1;
/**
 * Batches a leader processes ahead of what is durable. Many more than the appends in flight:
 * the batches processed while an append is out go to etcd together in the next one (measured:
 * with 32 rather than 4, one-task instances/s on the 3-node benchmark rose by about half).
 */
const LEADER_BATCHES_IN_FLIGHT = 32;
const ANNOUNCE_RETRY_MS = [100, 250, 500, 1000];
/** A follower the leader pushes to waits this long for pushed entries before reading them from etcd. */
const PUSH_GRACE_MS = 300;
/** Pushes count as flowing if one arrived this recently. */
const PUSH_ACTIVE_MS = 2000;
/** A follower that got a push this recently needs no watch of the head (see headWatchWanted). */
const PUSHES_FLOWING_MS = 500;
/** Pushed entries waiting to be applied beyond this are dropped (the follower reads them from etcd). */
const MAX_PUSHED_WAITING_BYTES = 8 * 1024 * 1024;

export class PartitionMember {
  readonly log: ReplicatedLog;
  private replica: Replica | null = null;
  private partition: Partition | null = null;
  private election: Election | null = null;
  private stopWatching: (() => void) | null = null;
  private knownHead = 0;
  /** Position of the last record at the known head. */
  private knownHeadPosition = 0;
  /** Whether the head was read from etcd since start: until then a lag of 0 means nothing. */
  private headKnown = false;
  /** When the head was last read from etcd (ms): how stale a follower may be is bounded by it. */
  private headReadAt = -Infinity;
  private pumping = false;
  /** Set while a deposed leader's state is rebuilt: following must wait for it. */
  private demoting = false;
  private stopped = false;
  private leaderChanges = 0;
  private timers: NodeJS.Timeout[] = [];
  private currentRole: MemberRole = 'FOLLOWER';
  private announcing: Promise<void> = Promise.resolve();
  private lastReannounce = -Infinity;
  private term = 0;
  /** When this node last became leader (ms), for the hand-over delay. */
  private ledSince = 0;
  /** While leading: when each other candidate was first seen in the election line without a break (ms). */
  private readonly candidateSince = new Map<string, number>();
  /** A cluster change's hand-over is being attempted. */
  private transferring = false;
  private replicaLock: Promise<void> = Promise.resolve();
  /** When the leader last pushed entries here (ms). */
  private pushedAt = -Infinity;
  /** Pushed entries waiting for the apply in progress, in arrival order; an apply is scheduled whenever this is not empty. */
  private pushedWaiting: RawLogEntry[] = [];
  private pushedWaitingBytes = 0;
  /** Entries applied from the leader's pushes, and from etcd reads (for metrics and tests). */
  readonly applied = { pushed: 0, read: 0 };
  /** What this term's appends take in etcd, for the byte bound on the log. */
  private footprint = new LogFootprint();
  /** This leadership's last compaction: etcd's log below it is gone. */
  private compactedBelow = 0;
  /** The applied index last reported to etcd, and when. */
  private reported = { index: -1, at: -Infinity };
  /** Entries per catch-up read, sized by the entries last read. */
  private readBatch = READ_BATCH;
  /** When the replica last loaded a snapshot (ms), for the snapshot-age metric. */
  lastSnapshotAt: number | null = null;
  /**
   * Set while the replica is reopened after its local database refused a write (disk full):
   * no following, no candidacy, until it is rebuilt from disk.
   */
  private recovering: Promise<void> | null = null;
  /** Ends the wait before the next reopen attempt (stop). */
  private wakeRecovery: (() => void) | null = null;

  constructor(private readonly options: PartitionMemberOptions) {
    this.log = new ReplicatedLog(options.etcd, options.clusterPrefix, options.partitionId, options.logger, options.observeEtcd);
  }

  get partitionId(): number {
    return this.options.partitionId;
  }

  get role(): MemberRole {
    return this.currentRole;
  }

  /** The engine, while this node leads the partition and it is ready. */
  get leader(): Partition | null {
    return this.partition?.isReady ? this.partition : null;
  }

  /**
   * Leading with a lease etcd confirmed recently enough that no other member can have been
   * elected since: within two thirds of the TTL of the last confirmed keep-alive (etcd expires
   * the key a full TTL after it received that keep-alive; keep-alives go every third).
   */
  private get leaseHeld(): boolean {
    return this.options.lease().confirmedWithin(2 / 3);
  }

  get appliedIndex(): number {
    return this.replica?.lastIndex ?? 0;
  }

  /** A replica is open here (closed while stopped or before the first open). */
  get hasReplica(): boolean {
    return this.replica !== null;
  }

  /** The log head as etcd has it now (a linearizable read), for reads that must see every acknowledged write. */
  async currentHead(): Promise<number> {
    return this.log.head();
  }

  /** How far this replica is behind the log head it knows of (entries). */
  get lag(): number {
    return Math.max(0, this.knownHead - this.appliedIndex);
  }

  /** How many records this replica is behind the log head it knows of. */
  get lagRecords(): number {
    return this.replica ? Math.max(0, this.knownHeadPosition - this.replica.lastPosition) : 0;
  }

  get leaderChangeCount(): number {
    return this.leaderChanges;
  }

  /** When this replica last checkpointed its state (its local snapshot), ms since epoch; null when closed. */
  get lastCheckpointAt(): number | null {
    return this.replica?.lastCheckpointAt ?? null;
  }

  /**
   * Following closely: at most one read batch behind the head it knows. This is what health
   * and readiness ask; `isCaughtUp` (exactly at the head) flaps under steady load, where a
   * follower is always a few entries behind the leader's latest append.
   */
  get isInSync(): boolean {
    const staleAfter = this.options.maxFollowerStalenessMs ?? DEFAULT_MAX_FOLLOWER_STALENESS_MS;
    // While recovering, the state is being rebuilt (its tables are cleared and reloaded).
    return this.replica !== null && !this.recovering && this.headKnown && this.lag <= READ_BATCH && monotonicNow() - this.headReadAt <= staleAfter;
  }

  /** What readiness asks: leading with a held lease, or following closely. */
  get isServing(): boolean {
    return (this.leader !== null && this.leaseHeld) || (this.partition === null && this.isInSync);
  }

  /**
   * The state reads may be served from: the leader's, or a follower's that is in sync (at
   * most one read batch behind). Null while the member is behind, demoting or closed.
   */
  get readable(): ReadableReplica | null {
    const leader = this.leader;
    // A leader whose lease is not confirmed may have been replaced: its state may be old.
    if (leader) {
      if (!this.leaseHeld) return null;
      return {
        role: 'LEADER',
        store: leader.store,
        settled: () => leader.settled(),
        // Its state holds every key it handed out: one above its counter does not exist.
        read: (query) => Promise.resolve({ reached: true, value: runRead(leader.state, query) }),
        dump: () => Promise.resolve(stateDump(leader.state)),
      };
    }
    if (this.partition || this.demoting || this.stopped || !this.isInSync) return null;
    // A follower's state holds committed entries only; it lives in the storage worker.
    const replica = this.replica!;
    return { role: 'FOLLOWER', store: replica.store, settled: () => Promise.resolve(), read: (query) => replica.read(query), dump: () => replica.dump() };
  }

  /** Caught up with the head it last saw: a follower that could serve reads. */
  get isCaughtUp(): boolean {
    // Not before the head was read: a restarted replica would report itself caught up (and
    // the node ready) while it is still behind the entries committed during its absence.
    return this.replica !== null && !this.recovering && this.headKnown && this.lag === 0;
  }

  async start(): Promise<void> {
    const { options } = this;
    this.replica = await Replica.open({
      dataDir: options.dataDir,
      partitionId: options.partitionId,
      partitionCount: options.partitionCount,
      // etcd holds the durable log; the local copy is rebuilt from it after a crash.
      syncMode: 'normal',
      logger: options.logger,
      logRetentionEntries: options.logRetentionEntries,
      history: options.history ?? true,
      onWriteFailure: () => this.noteStoreFailure(),
      following: true,
    });
    this.stopWatching = this.log.watchHead((head, fresh) => {
      this.noteHead(head);
      if (fresh) {
        this.headKnown = true;
        this.headReadAt = monotonicNow();
      }
      void this.pump();
    }, () => this.headWatchWanted());
    this.every(REPORT_INTERVAL_MS, () => this.reportApplied());
    this.every(COMPACT_INTERVAL_MS, () => this.compactEtcdLog());
    void this.announce('FOLLOWER', 0);
    if (options.handoverAfterMs) this.every(Math.min(HANDOVER_CHECK_MS, this.handoverDelay()), () => this.maybeHandOver());
    if (options.transferTarget) this.every(TRANSFER_CHECK_MS, () => this.maybeTransfer());
    const preferred = options.preferredLeaderId?.();
    if (preferred !== undefined && preferred !== null && preferred !== options.nodeId) {
      setTimeout(() => void this.campaign(), NON_PREFERRED_DELAY_MS).unref?.();
    } else {
      await this.campaign();
    }
  }

  /**
   * Re-announces the current role if the cluster state disagrees (e.g. it reset the roles of
   * this node while it was marked DOWN). At most once per interval, so a refused announcement
   * cannot turn into a loop.
   */
  reconcileRole(stateRole: 'LEADER' | 'FOLLOWER' | 'INACTIVE' | undefined): void {
    if (this.stopped || !this.replica) return;
    const actual: MemberRole = this.partition ? 'LEADER' : 'FOLLOWER';
    if (stateRole === actual) return;
    const now = monotonicNow();
    if (now - this.lastReannounce < REANNOUNCE_INTERVAL_MS) return;
    this.lastReannounce = now;
    void this.announce(actual, actual === 'LEADER' ? this.term : 0);
  }

  /**
   * Whether this member needs etcd to tell it of every append: not while it leads (it makes
   * them), nor while the leader pushes it the entries (each push tells it more than the event
   * would). The poll of the head goes on either way.
   */
  private headWatchWanted(): boolean {
    return this.currentRole !== 'LEADER' && monotonicNow() - this.pushedAt > PUSHES_FLOWING_MS;
  }

  private noteHead(head: HeadMark): void {
    if (head.index <= this.knownHead) return;
    this.knownHead = head.index;
    this.knownHeadPosition = head.position;
  }

  /**
   * Announcements go out in order: a late FOLLOWER must never overwrite a newer LEADER. Each
   * is retried until it lands or the role it announces is no longer this node's: until a new
   * leader is in the cluster state, no other node routes to it.
   */
  private announce(role: MemberRole, term: number): Promise<void> {
    const current = () => !this.stopped && this.currentRole === role && (role === 'FOLLOWER' || this.term === term);
    this.announcing = this.announcing.then(async () => {
      for (let attempt = 0; current(); attempt++) {
        try {
          await this.options.announce(role, term);
          return;
        } catch (err) {
          if (attempt === 0 || attempt % 10 === 0) this.options.logger.warn({ err, role, attempt }, 'could not announce the partition role; retrying');
          await new Promise((r) => setTimeout(r, ANNOUNCE_RETRY_MS[Math.min(attempt, ANNOUNCE_RETRY_MS.length - 1)]).unref?.());
        }
      }
    });
    return this.announcing;
  }

  private every(ms: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      if (!this.stopped) task().catch((err) => this.options.logger.debug({ err }, 'periodic partition task failed'));
    }, ms);
    timer.unref?.();
    this.timers.push(timer);
  }

  private async campaign(): Promise<void> {
    // A broken replica must not win an election it would lose at its first write; the
    // recovery enters again once the replica is reopened.
    if (this.stopped || this.recovering || this.election) return;
    const lease = this.options.lease();
    const election = new Election(
      this.options.etcd,
      `${this.log.prefix}election/`,
      lease,
      String(this.options.nodeId),
      this.options.logger,
    );
    this.election = election;
    election.on('elected', (fence) => void this.lead(fence, election));
    election.on('ended', () => void this.onCandidacyEnded(election));
    try {
      await election.campaign();
    } catch (err) {
      this.options.logger.warn({ err }, 'could not enter the partition election; retrying');
      await election.resign().catch(() => {});
      if (this.election === election) this.election = null;
      setTimeout(() => void this.campaign(), RETRY_MS).unref?.();
    }
  }

  private async onCandidacyEnded(election: Election): Promise<void> {
    if (this.election !== election || this.stopped) return;
    this.election = null;
    await this.demote('the candidacy ended (lease lost)');
    setTimeout(() => void this.campaign(), RETRY_MS).unref?.();
  }

  /**
   * Follower: applies entries from the log in order, exactly once. One pump runs at a time;
   * entries already in the local log are skipped by index.
   */
  private async pump(): Promise<void> {
    if (this.pumping || this.stopped || this.currentRole === 'LEADER' || this.demoting || this.recovering || !this.replica) return;
    this.pumping = true;
    try {
      // Heads seen while a catch-up runs are followed by the next round, not the next poll.
      do {
        // One target for both: a head noticed while waiting gets its own wait for pushes
        // next round, rather than being read from etcd just before its push arrives.
        const target = this.knownHead;
        await this.awaitPushes(target);
        await this.exclusive(() => this.catchUp(target));
      } while (!this.stopped && (this.currentRole as MemberRole) !== 'LEADER' && this.replica !== null && this.replica.lastIndex < this.knownHead);
    } catch (err) {
      if (!this.noteStoreFailure()) this.options.logger.warn({ err }, 'following the partition log failed; retrying');
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Committed entries the leader pushed. Those that follow this replica's log are applied as
   * soon as the replica is free; a gap (a push lost, or this replica behind) is left to the
   * reads from etcd. Pushes that arrive while an apply runs wait for it and are then applied
   * together, in one write: the leader sends every commit as it happens, and a write per push
   * would cost the storage worker a transaction each.
   */
  receivePushed(entries: readonly RawLogEntry[]): void {
    const last = entries[entries.length - 1];
    if (!last || this.stopped || this.currentRole === 'LEADER' || !this.replica) return;
    this.pushedAt = monotonicNow();
    const scheduled = this.pushedWaiting.length > 0;
    for (const entry of entries) {
      this.pushedWaiting.push(entry);
      this.pushedWaitingBytes += entry.data.byteLength;
    }
    if (this.pushedWaitingBytes > MAX_PUSHED_WAITING_BYTES) {
      // Applying is this far behind: etcd serves the replica better than a growing queue.
      this.pushedWaiting = [];
      this.pushedWaitingBytes = 0;
      return;
    }
    if (scheduled) return;
    void this.exclusive(async () => {
      const waiting = this.pushedWaiting;
      this.pushedWaiting = [];
      this.pushedWaitingBytes = 0;
      // Elected meanwhile: the replica is the engine's now (and holds these entries already).
      if (this.stopped || this.currentRole === 'LEADER' || this.demoting || this.recovering || !this.replica) return;
      // Only the run that continues this replica's log: a push dropped on the way leaves a gap.
      const fresh: RawLogEntry[] = [];
      for (const raw of waiting) if (raw.index === this.replica.lastIndex + 1 + fresh.length) fresh.push(raw);
      if (fresh.length === 0) return;
      await this.replica.applyCommittedRaw(fresh);
      this.applied.pushed += fresh.length;
    }).catch((err) => {
      if (!this.noteStoreFailure()) this.options.logger.debug({ err }, 'applying pushed entries failed; reading them from etcd instead');
    });
  }

  /** While the leader pushes entries here, gives its pushes a moment to cover `target` before etcd is read. */
  private async awaitPushes(target: number): Promise<void> {
    const until = monotonicNow() + PUSH_GRACE_MS;
    while (monotonicNow() - this.pushedAt < PUSH_ACTIVE_MS && monotonicNow() < until && this.replica !== null && this.replica.lastIndex < target && !this.stopped) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Runs `task` after every other task that changes the replica (catch-up, snapshot install,
   * restore after leading, close) has finished: two of them interleaved could apply an entry
   * twice or apply onto a state being rebuilt.
   */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.replicaLock.then(task);
    this.replicaLock = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async catchUp(toIndex: number): Promise<void> {
    while (!this.stopped && this.replica!.lastIndex < toIndex) {
      const from = this.replica!.lastIndex + 1;
      const entries = await this.log.read(from, Math.min(toIndex, from + this.readBatch - 1));
      this.sizeReadBatch(entries);
      if (entries.length === 0) {
        // The entries this replica needs were compacted away: start from a snapshot.
        await this.installSnapshot();
        continue;
      }
      await this.replica!.applyCommittedRaw(entries);
      this.applied.read += entries.length;
    }
  }

  /**
   * Starts the recovery if the replica's local database refuses writes (a failed append or
   * checkpoint: disk full, I/O error); returns whether it does (or already runs).
   */
  private noteStoreFailure(): boolean {
    if (this.stopped || !this.replica?.failed) return false;
    if (!this.recovering) {
      this.recovering = this.recover().finally(() => {
        this.recovering = null;
      });
    }
    return true;
  }

  /**
   * The replica's in-memory state may be ahead of its disk, and its store refuses every write:
   * leave the election (it would win and fail at once), wait, close the store and open it again
   * — which rebuilds the state from the durable checkpoint and log — then follow from the
   * durable index and enter the election again. A leader stops leading first (the group log in
   * etcd has its entries; the next leader goes on from there).
   */
  private async recover(): Promise<void> {
    const { logger } = this.options;
    const election = this.election;
    this.election = null;
    await election?.resign().catch(() => {});
    if (this.currentRole === 'LEADER') await this.demote('the local database refuses writes');
    let cause: unknown = this.replica?.failed;
    for (let attempt = 1, delay = REOPEN_FIRST_DELAY_MS; !this.stopped; attempt++, delay = Math.min(delay * 2, REOPEN_MAX_DELAY_MS)) {
      logger.warn({ err: cause, attempt, retryInMs: delay }, 'the local database refuses writes; reopening the replica from disk');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeRecovery = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeRecovery = null;
      if (this.stopped) return;
      try {
        await this.exclusive(async () => {
          if (this.replica && !this.stopped) await this.replica.reopen();
        });
        break;
      } catch (err) {
        cause = err;
      }
    }
    if (this.stopped) return;
    logger.info({ appliedIndex: this.replica?.lastIndex }, 'replica reopened from disk; following the partition log again');
    // After `finally` clears `recovering`: pump and campaign refuse to run while it is set.
    setImmediate(() => {
      void this.pump();
      void this.campaign();
    });
  }

  /** Keeps catch-up responses around READ_BYTES however large the entries are. */
  private sizeReadBatch(entries: readonly RawLogEntry[]): void {
    if (entries.length === 0) return;
    let bytes = 0;
    for (const entry of entries) bytes += entry.data.byteLength;
    const average = Math.max(1, bytes / entries.length);
    this.readBatch = Math.max(1, Math.min(READ_BATCH, Math.floor(READ_BYTES / average)));
  }

  private async installSnapshot(): Promise<void> {
    const path = partitionDbPath(this.options.dataDir, this.options.partitionId);
    const incoming = `${path}.snapshot`;
    this.options.logger.info({ appliedIndex: this.replica!.lastIndex }, 'the log this replica needs was compacted; fetching a snapshot');
    const { index } = await this.options.fetchSnapshot(this.options.partitionId, incoming);
    await this.replica!.close();
    this.replica = null;
    await rm(`${path}-wal`, { force: true });
    await rm(`${path}-shm`, { force: true });
    // The old WAL must never come back next to the new database (SQLite would replay it onto
    // the snapshot): its removal is made durable before the rename.
    await syncDirectoryAsync(dirname(path));
    await rename(incoming, path);
    // The replica reports this snapshot's checkpoint as durable: the rename must be too.
    await syncDirectoryAsync(dirname(path));
    this.replica = await Replica.open({
      dataDir: this.options.dataDir,
      partitionId: this.options.partitionId,
      partitionCount: this.options.partitionCount,
      syncMode: 'normal',
      logger: this.options.logger,
      logRetentionEntries: this.options.logRetentionEntries,
      history: this.options.history ?? true,
      onWriteFailure: () => this.noteStoreFailure(),
      following: true,
    });
    this.lastSnapshotAt = Date.now();
    this.options.logger.info({ snapshotIndex: index, appliedIndex: this.replica.lastIndex }, 'snapshot installed');
  }

  /** Elected: catch up with everything committed, then start the engine on top of it. */
  private async lead(fence: Fence, election: Election): Promise<void> {
    const { logger } = this.options;
    try {
      // From here no pump starts; one that is running finishes first (exclusive). A demote
      // (the candidacy ended meanwhile) restores the replica only after this block.
      this.currentRole = 'LEADER';
      const partition = await this.exclusive(async () => {
        const head = await this.log.headMark();
        this.noteHead(head);
        await this.catchUp(head.index);
        const deposed = () => this.election !== election || !election.isLeader || this.stopped || this.currentRole !== 'LEADER';
        if (deposed()) throw new FencedError('lost the election while catching up');
        // The state followed in the storage worker comes to this thread, for the engine.
        await this.replica!.lead();
        if (deposed()) throw new FencedError('lost the election while taking the state over');
        this.term = Number(fence.createRevision);
        const footprint = new LogFootprint();
        this.footprint = footprint;
        this.compactedBelow = 0;
        const appender = new LogAppender(this.log, fence, head, {
          maxInFlight: this.options.maxAppendsInFlight ?? DEFAULT_MAX_APPENDS_IN_FLIGHT,
          minGapMs: this.options.appendGapMs ?? 0,
          checkLeadership: () => {
            if (!this.options.lease().isAlive() || this.election !== election) throw new FencedError('the leadership lease is no longer confirmed');
          },
        });
        const engine = new Partition({
          partitionId: this.options.partitionId,
          partitionCount: this.options.partitionCount,
          multiTenancy: this.options.multiTenancy ?? false,
          dataDir: this.options.dataDir,
          syncMode: 'normal',
          replica: this.replica!,
          maxBatchSize: this.options.maxBatchSize,
          appendHoldMs: () => appender.holdMs(),
          logger,
          metrics: this.options.metrics,
          tracing: this.options.tracing,
          host: this.options.host,
          logRetentionEntries: this.options.logRetentionEntries,
          historyRetentionMs: this.options.historyRetentionMs,
          maxQueuedCommands: this.options.maxQueuedCommands,
          replicate: (raw) =>
            appender.append(raw).then((storedBytes) => {
              this.noteHead({ index: raw.index, position: raw.lastPosition, token: '' });
              footprint.record(raw.index, storedBytes);
              this.options.pushToFollowers?.(raw);
            }),
          maxBatchesInFlight: LEADER_BATCHES_IN_FLIGHT,
          admission: this.options.admission,
          onFenced: (err) => {
            appender.close('this node stopped leading the partition');
            void this.stepDown(`fenced: ${err instanceof Error ? err.message : String(err)}`, election);
          },
        });
        await engine.open();
        if (deposed()) {
          // Stopped (or deposed) while the engine opened: it must not run on a replica being closed or rebuilt.
          await engine.stop().catch(() => {});
          throw new FencedError('stopped while taking over');
        }
        return engine;
      });
      if (this.election !== election || this.stopped || this.currentRole !== 'LEADER') {
        await partition.stop().catch(() => {});
        throw new FencedError('deposed while taking over');
      }
      this.partition = partition;
      this.ledSince = monotonicNow();
      this.leaderChanges++;
      logger.info({ term: this.term, index: this.replica!.lastIndex }, 'leading the partition');
      void this.announce('LEADER', this.term);
    } catch (err) {
      logger.warn({ err }, 'could not take over the partition');
      await this.demote('take-over failed');
      await election.resign().catch(() => {});
      // If the candidacy ended meanwhile, onCandidacyEnded already entered a new election.
      if (this.election !== election || this.stopped) return;
      this.election = null;
      setTimeout(() => void this.campaign(), RETRY_MS).unref?.();
    }
  }

  /**
   * Leading, but not as the preferred leader: once that node has been a candidate for a while
   * and has caught up (its reported checkpoint is near the head), move the candidates ahead of
   * it to the back of the line (their nodes enter again) and step down, so that it is elected.
   * Client commands meanwhile get NOT_LEADER and are retried at the new leader.
   */
  private handoverDelay(): number {
    const delay = this.options.handoverAfterMs ?? 0;
    return typeof delay === 'function' ? delay() : delay;
  }

  private async maybeHandOver(): Promise<void> {
    const { options } = this;
    const election = this.election;
    const preferred = options.preferredLeaderId?.();
    // Only a leader that is not the preferred one looks at the line (an etcd read).
    if (!this.partition || !election || preferred === undefined || preferred === null || preferred === options.nodeId) {
      this.candidateSince.clear();
      return;
    }
    const candidates = await election.candidates();
    const now = monotonicNow();
    for (const key of [...this.candidateSince.keys()]) if (!candidates.some((c) => c.key === key)) this.candidateSince.delete(key);
    for (const c of candidates) if (!this.candidateSince.has(c.key)) this.candidateSince.set(c.key, now);
    const delay = this.handoverDelay();
    if (!this.partition || this.election !== election || now - this.ledSince < delay || options.nodeActive?.(preferred) === false) return;
    const target = candidates.find((c) => c.value === String(preferred));
    if (!target || now - this.candidateSince.get(target.key)! < delay) return;
    const applied = (await this.log.appliedIndexes()).get(preferred) ?? 0;
    if (this.knownHead - applied > HANDOVER_MAX_LAG) return;
    if (!this.partition || this.election !== election) return;
    for (const c of candidates) {
      if (c.key === target.key) break;
      if (c.key !== election.key) await options.etcd.delete().key(c.key).exec();
    }
    options.logger.info({ to: preferred }, 'handing the partition over to its preferred leader');
    await this.stepDown(`handing over to node ${preferred}, the preferred leader`, election);
  }

  /**
   * Leading while a cluster change asks for the leadership to move to another member: once
   * that member is a candidate and caught up, the candidates ahead of it go to the back of the
   * line and this node steps down, as in maybeHandOver but without waiting. Commands in flight
   * get NOT_LEADER, which the node that proxied them retries at the new leader.
   */
  private async maybeTransfer(): Promise<void> {
    const { options } = this;
    const target = options.transferTarget?.();
    const election = this.election;
    if (target === undefined || target === null || target === options.nodeId || !this.partition || !election || this.transferring) return;
    this.transferring = true;
    try {
      const candidates = await election.candidates();
      const entry = candidates.find((c) => c.value === String(target));
      if (!entry) return;
      const applied = (await this.log.appliedIndexes()).get(target) ?? 0;
      if (this.knownHead - applied > HANDOVER_MAX_LAG) return;
      if (!this.partition || this.election !== election || options.transferTarget?.() !== target) return;
      for (const c of candidates) {
        if (c.key === entry.key) break;
        if (c.key !== election.key) await options.etcd.delete().key(c.key).exec();
      }
      options.logger.info({ to: target }, 'handing the partition over as a cluster change asks');
      await this.stepDown(`handing over to node ${target} for a cluster change`, election);
    } finally {
      this.transferring = false;
    }
  }

  /** Stops leading (if leading): the state goes back to the last entry the group committed. */
  private async demote(why: string): Promise<void> {
    if (this.currentRole !== 'LEADER') return;
    this.currentRole = 'FOLLOWER';
    this.term = 0;
    const partition = this.partition;
    this.partition = null;
    this.options.logger.warn({ why }, 'no longer leading the partition');
    // Until the state is rebuilt it holds what the engine processed but the group never
    // committed: entries applied on top of it (and a checkpoint taken then) would keep that.
    this.demoting = true;
    try {
      if (partition) await partition.stop().catch(() => {});
      // Stopping: stop() closes the replica; restoring it now would race the close (and a
      // rejection here would be unhandled: callers run this with `void`).
      if (this.stopped) return;
      await this.exclusive(async () => {
        // Back to following, from what is durable; a replica whose store refuses writes is
        // reopened instead (the recovery below), following too.
        if (this.replica && !this.stopped) await this.replica.follow();
      });
      this.noteStoreFailure();
    } catch (err) {
      this.options.logger.error({ err }, 'could not restore the replica after leading; following from the log');
    } finally {
      this.demoting = false;
    }
    void this.announce('FOLLOWER', 0);
    void this.pump();
  }

  /**
   * Fenced while leading (an append was refused, or the lease was not confirmed in time). The
   * candidacy key may still be first in line — etcd may still honour the lease, or the head
   * moved under an append whose outcome was unknown — and the election would never elect
   * anyone else: leave it and enter again (after catching up, this node may well win again).
   */
  private async stepDown(why: string, election: Election): Promise<void> {
    await this.demote(why);
    // The recovery withdrew the candidacy already and enters again when the replica is whole.
    if (this.recovering) return;
    if (this.election !== election || this.stopped) return;
    this.election = null;
    await election.resign().catch(() => {});
    setTimeout(() => void this.campaign(), RETRY_MS).unref?.();
  }

  private async reportApplied(): Promise<void> {
    if (!this.replica) return;
    const index = this.replica.store.checkpointIndex;
    // Each report is an etcd write (a raft round and an fsync on every member): an unchanged
    // index is only said again now and then, in case the key was lost with a restored etcd.
    const now = monotonicNow();
    if (index === this.reported.index && now - this.reported.at < REPORT_AGAIN_MS) return;
    await this.log.reportApplied(this.options.nodeId, index);
    this.reported = { index, at: now };
  }

  /**
   * Leader only: drops etcd entries every member has durably in its own database — and, so
   * that one lagging or stopped member cannot fill etcd, entries beyond the entry and byte
   * bounds as well (that member then needs a snapshot). Never anything no member has durably:
   * with one member (or all behind) only what is checkpointed goes.
   */
  private async compactEtcdLog(): Promise<void> {
    if (this.currentRole !== 'LEADER' || !this.partition) return;
    const applied = await this.log.appliedIndexes();
    const members = this.options.members();
    let lowest = Number.MAX_SAFE_INTEGER;
    let highest = 0;
    for (const nodeId of members) {
      const index = applied.get(nodeId) ?? 0;
      lowest = Math.min(lowest, index);
      highest = Math.max(highest, index);
    }
    const head = this.knownHead;
    const byCount = head - (this.options.maxRetainedEntries ?? DEFAULT_MAX_RETAINED) + 1;
    const byBytes = this.footprint.floor(this.options.maxLogBytes?.() ?? DEFAULT_MAX_LOG_BYTES);
    const keepFrom = Math.min(Math.max(lowest + 1, byCount, byBytes), highest + 1, head);
    // Deleting a range is an etcd write even when the range is empty: only when it moved.
    if (keepFrom > 1 && keepFrom > this.compactedBelow) {
      await this.log.compact(keepFrom);
      this.footprint.dropBelow(keepFrom);
      this.compactedBelow = keepFrom;
    }
  }

  /** SIGTERM: hand leadership to another member, then stop. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const partition = this.partition;
    this.partition = null;
    if (partition) await partition.stop().catch(() => {});
    this.stopped = true;
    this.wakeRecovery?.();
    await this.recovering;
    for (const timer of this.timers) clearInterval(timer);
    this.stopWatching?.();
    await this.election?.resign().catch(() => {});
    await this.reportApplied().catch(() => {});
    // After a catch-up or snapshot install in progress, which would otherwise reopen it.
    await this.exclusive(async () => {
      await this.replica?.close();
      this.replica = null;
    });
  }

  /** A consistent copy of this replica's database for a member that needs a snapshot. */
  async snapshot(path: string): Promise<{ index: number; position: number }> {
    if (!this.replica) throw new Error(`Partition ${this.options.partitionId} is not open on this node`);
    return this.replica.store.snapshot(path);
  }
}
