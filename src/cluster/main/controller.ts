/**
 * The controller: the main-cluster leader, elected in etcd, that assigns partition members
 * (planner.ts), carries out operators' cluster changes step by step (change-executor.ts),
 * places partition logs on etcd clusters (log-placement.ts), marks nodes DOWN, and keeps the
 * MVCC history of every etcd cluster it knows compacted.
 *
 * Election, built on the node's lease and a transaction rather than etcd3's `Election`, so
 * that the candidacy dies with the node's registration and the leadership can fence writes:
 * each candidate creates `cluster/controller/<leaseId>` (value: node id) bound to its lease;
 * the key with the lowest create revision leads. When the leader's lease expires or is
 * revoked its key disappears, the others' watch on the prefix fires and the next one leads,
 * so failover takes one lease TTL after a crash and a round trip after a graceful leave.
 *
 * A controller stops acting as soon as it may no longer lead: when its key is gone, or when
 * etcd has not confirmed its lease for a TTL (it may have expired in etcd). Every command it
 * appends is fenced on its key's create revision, so even a controller that has not noticed
 * yet cannot write.
 */
import { EventEmitter } from 'node:events';
import { type Etcd3, EtcdLeaseInvalidError, type Watcher } from 'etcd3';
import type { Logger } from 'pino';
import { createEtcdClient, DEFAULT_ETCD_CALL_TIMEOUT_MS, withTimeout } from '../etcd/client.js';
import { EtcdSpaceKeeper } from '../etcd/space-keeper.js';
import type { EtcdSpaceMonitor } from '../etcd/space-monitor.js';
import { type AppendFence, type ClusterLog, FencedAppendError } from './cluster-log.js';
import { HistoryCompactor } from './history-compaction.js';
import { type ClusterKeys, nodeIdOfKey } from './keys.js';
import { placeLogs, type PlacementConflict, unplacedPartitions } from './log-placement.js';
import { findPartitionKeys } from './log-probe.js';
import type { PartitionLogStores } from '../etcd/log-stores.js';
import type { Membership } from './membership.js';
import { changeStepCommands } from './change-executor.js';
import { marksDown, planDetailed, type Shortfall, trackShortGroups } from './planner.js';
import { reduceAll } from './reducer.js';
import type { ClusterCommand, ClusterState, EtcdClusterId } from './types.js';
import { monotonicNow } from '../../elapsed.js';

export interface ControllerOptions {
  /** How long a group may be short of live members before its dead members are replaced; a function is read at every planner run. */
  readonly rebalanceDelayMs?: number | (() => number);
  /** Period of the planner run that backs up the watches (and of the election check). */
  readonly intervalMs?: number;
  /** Period of etcd history compaction; 0 disables it. */
  readonly compactIntervalMs?: number;
  /** Revisions of history kept by compaction: watchers further behind must re-read. */
  readonly compactRetainRevisions?: number;
  /** Cluster-log entries kept below the snapshot at each compaction (and between snapshots). */
  readonly clusterLogKeep?: number;
  readonly callTimeoutMs?: number;
  /** The etcd clusters for partition logs; without it every log stays on the main etcd, unplaced. */
  readonly logStores?: PartitionLogStores;
  /** How full each etcd cluster is: with it, the controller also defragments and disarms NOSPACE (space-keeper.ts). */
  readonly spaceMonitor?: (id: EtcdClusterId) => EtcdSpaceMonitor | null;
}

export interface ControllerEvents {
  elected: [];
  deposed: [];
}

export const DEFAULT_REBALANCE_DELAY_MS = 60_000;

/** Each DOWN mark adds a compare to the transaction; etcd caps those at 128. */
const MAX_DOWN_PER_TXN = 50;

export class Controller extends EventEmitter<ControllerEvents> {
  private fence: AppendFence | null = null;
  private candidacy: { key: string; leaseId: string } | null = null;
  private electionWatcher: Watcher | null = null;
  private nodesWatcher: Watcher | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private compactTimer: NodeJS.Timeout | null = null;
  private unsubscribeLog: (() => void) | null = null;
  private evaluating: Promise<void> | null = null;
  private evaluateAgain = false;
  private shortSince = new Map<number, number>();
  private lastReport = '';
  private lastPlacementReport = '';
  /** One per etcd cluster, by id: each remembers how far its history was compacted. */
  private readonly compactors = new Map<EtcdClusterId, HistoryCompactor>();
  /** One per etcd cluster with a space monitor. */
  private readonly keepers = new Map<EtcdClusterId, EtcdSpaceKeeper>();
  /** Placed clusters this node cannot compact, already warned about. */
  private readonly unreachableWarned = new Set<EtcdClusterId>();
  private stopped = false;
  private currentShortfalls: Shortfall[] = [];
  private readonly rebalanceDelay: () => number;
  private readonly intervalMs: number;
  private readonly compactIntervalMs: number;
  private readonly compactRetainRevisions: number;
  private readonly clusterLogKeep: number;
  private readonly callTimeoutMs: number;
  private readonly logStores: PartitionLogStores | null;
  private readonly spaceMonitor: (id: EtcdClusterId) => EtcdSpaceMonitor | null;

  constructor(
    private readonly etcd: Etcd3,
    private readonly keys: ClusterKeys,
    private readonly log: ClusterLog,
    private readonly membership: Membership,
    private readonly logger: Logger,
    options: ControllerOptions = {},
  ) {
    super();
    const delay = options.rebalanceDelayMs ?? DEFAULT_REBALANCE_DELAY_MS;
    this.rebalanceDelay = typeof delay === 'function' ? delay : () => delay;
    this.intervalMs = options.intervalMs ?? 1000;
    // Partition-log entries are large (batches of records): history of deleted entries is what
    // makes etcd grow, so it is kept short (see HistoryCompactor).
    this.compactIntervalMs = options.compactIntervalMs ?? 2_000;
    this.compactRetainRevisions = options.compactRetainRevisions ?? 1_000;
    this.clusterLogKeep = options.clusterLogKeep ?? 1_000;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;
    this.logStores = options.logStores ?? null;
    this.spaceMonitor = options.spaceMonitor ?? (() => null);
  }

  get rebalanceDelayMs(): number {
    return this.rebalanceDelay();
  }

  get isController(): boolean {
    return this.fence !== null && this.membership.isAlive() && !this.stopped;
  }

  /** Groups the last planner run could not bring to R members (a gauge for monitoring). */
  get shortfalls(): readonly Shortfall[] {
    return this.currentShortfalls;
  }

  /** Campaigns now and again under every new lease the membership registers with. */
  start(): void {
    this.membership.on('registered', this.onRegistered);
    this.membership.on('leaseLost', this.onLeaseLost);
    this.checkTimer = setInterval(() => void this.tick(), this.intervalMs);
    this.checkTimer.unref();
    void this.watchElection();
    if (this.membership.leaseId) void this.campaign(this.membership.leaseId);
  }

  /** Stops acting; with `resign`, deletes the candidacy so the next candidate leads at once. */
  async stop(resign: boolean): Promise<void> {
    this.stopped = true;
    this.membership.off('registered', this.onRegistered);
    this.membership.off('leaseLost', this.onLeaseLost);
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    this.depose('stopped');
    const candidacy = this.candidacy;
    this.candidacy = null;
    const watcher = this.electionWatcher;
    this.electionWatcher = null;
    // etcd3 can leave a cancel unanswered (a stream that broke meanwhile): stopping must not hang on it.
    await withTimeout(watcher?.cancel() ?? Promise.resolve(), this.callTimeoutMs, 'watch cancel').catch(() => {});
    if (resign && candidacy) {
      await withTimeout(this.etcd.delete().key(candidacy.key).exec(), this.callTimeoutMs, 'controller resign').catch(() => {});
    }
  }

  /** The node id of the current controller per etcd, or null when there is none. */
  async currentControllerId(): Promise<number | null> {
    const response = await withTimeout(
      this.etcd.getAll().prefix(this.keys.controllerPrefix).sort('Create', 'Ascend').limit(1).exec(),
      this.callTimeoutMs,
      'controller lookup',
    );
    const kv = response.kvs[0];
    return kv ? Number(kv.value.toString()) : null;
  }

  private readonly onRegistered = (leaseId: string): void => {
    void this.campaign(leaseId);
  };

  private readonly onLeaseLost = (): void => {
    this.candidacy = null;
    this.depose('lease lost');
  };

  private async campaign(leaseId: string): Promise<void> {
    if (this.stopped || this.candidacy?.leaseId === leaseId) return;
    const key = `${this.keys.controllerPrefix}${leaseId}`;
    this.candidacy = { key, leaseId };
    try {
      await withTimeout(
        this.etcd
          .if(key, 'Create', '==', 0)
          .then(this.etcd.put(key).value(String(this.membership.node.nodeId)).lease(leaseId))
          .commit(),
        this.callTimeoutMs,
        'controller campaign',
      );
    } catch (err) {
      // tick() campaigns again.
      if (this.candidacy?.key === key) this.candidacy = null;
      if (err instanceof EtcdLeaseInvalidError) {
        // The lease is gone though etcd3 has not reported it yet: re-register now.
        void this.membership.verifyRegistration();
        return;
      }
      this.logger.warn({ err }, 'cannot enter the controller election; retrying');
      return;
    }
    await this.checkElection();
  }

  private async watchElection(): Promise<void> {
    try {
      const watcher = await this.etcd.watch().prefix(this.keys.controllerPrefix).create();
      if (this.stopped) return void watcher.cancel().catch(() => {});
      this.electionWatcher = watcher;
      watcher.on('delete', () => void this.checkElection());
      watcher.on('put', () => void this.checkElection());
      watcher.on('connected', () => void this.checkElection());
      watcher.on('error', (err) => this.logger.debug({ err }, 'controller election watch failed'));
    } catch (err) {
      this.logger.debug({ err }, 'cannot watch the controller election; polling');
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const leaseId = this.membership.leaseId;
    if (leaseId && !this.candidacy) await this.campaign(leaseId);
    else await this.checkElection();
    if (this.fence && !this.membership.isAlive()) this.depose('lease not confirmed within its TTL');
    if (this.isController) this.schedule();
  }

  private async checkElection(): Promise<void> {
    const candidacy = this.candidacy;
    if (this.stopped || !candidacy) return;
    let response;
    try {
      response = await withTimeout(
        this.etcd.getAll().prefix(this.keys.controllerPrefix).sort('Create', 'Ascend').exec(),
        this.callTimeoutMs,
        'controller election check',
      );
    } catch (err) {
      this.logger.debug({ err }, 'controller election check failed');
      return;
    }
    if (this.candidacy !== candidacy) return;
    const mine = response.kvs.find((kv) => kv.key.toString() === candidacy.key);
    if (!mine) {
      // The key went with the lease; the membership re-registers and we campaign again.
      this.candidacy = null;
      this.depose('candidacy key is gone');
      return;
    }
    const first = response.kvs[0]!;
    if (first.key.toString() !== candidacy.key) {
      this.depose('another candidate leads');
      return;
    }
    if (!this.fence && this.membership.isAlive()) this.elect({ key: candidacy.key, createRevision: String(mine.create_revision) });
  }

  private elect(fence: AppendFence): void {
    this.fence = fence;
    this.shortSince = new Map();
    this.lastReport = '';
    this.lastPlacementReport = '';
    this.logger.info({ nodeId: this.membership.node.nodeId, term: fence.createRevision }, 'this node is now the cluster controller');
    this.unsubscribeLog = this.log.onChange(() => this.schedule());
    void this.watchNodes();
    if (this.compactIntervalMs > 0) {
      this.compactTimer = setInterval(() => void this.compact(), this.compactIntervalMs);
      this.compactTimer.unref();
    }
    this.emit('elected');
    this.schedule();
  }

  private depose(reason: string): void {
    if (!this.fence) return;
    this.fence = null;
    this.logger.info({ nodeId: this.membership.node.nodeId, reason }, 'this node is no longer the cluster controller');
    this.unsubscribeLog?.();
    this.unsubscribeLog = null;
    if (this.compactTimer) clearInterval(this.compactTimer);
    this.compactTimer = null;
    const watcher = this.nodesWatcher;
    this.nodesWatcher = null;
    void watcher?.cancel().catch(() => {});
    this.emit('deposed');
  }

  private async watchNodes(): Promise<void> {
    const fence = this.fence;
    try {
      const watcher = await this.etcd.watch().prefix(this.keys.nodesPrefix).create();
      if (this.fence !== fence || !fence) return void watcher.cancel().catch(() => {});
      this.nodesWatcher = watcher;
      watcher.on('put', () => this.schedule());
      watcher.on('delete', () => this.schedule());
      watcher.on('error', (err) => this.logger.debug({ err }, 'node registration watch failed'));
    } catch (err) {
      this.logger.debug({ err }, 'cannot watch node registrations; the periodic run covers it');
    }
  }

  /** Runs the planner now, or once more after the run in progress. */
  private schedule(): void {
    if (this.evaluating) {
      this.evaluateAgain = true;
      return;
    }
    this.evaluating = (async () => {
      try {
        do {
          this.evaluateAgain = false;
          await this.evaluate();
        } while (this.evaluateAgain && this.isController);
      } catch (err) {
        if (err instanceof FencedAppendError) {
          // Either this node lost the controller role or a node came back; the check tells
          // which, and the next run works from fresh registrations.
          this.logger.info({ err }, 'controller append was refused by its conditions');
          await this.checkElection();
        } else {
          this.logger.warn({ err }, 'controller run failed; retrying on the next change or tick');
        }
      } finally {
        this.evaluating = null;
      }
    })();
  }

  private async evaluate(): Promise<void> {
    const fence = this.fence;
    if (!fence || !this.isController) return;
    const live = await this.liveNodeIds();
    const state = await this.log.catchUp();
    // How long a group has been short is this node's own measure (monotonic); change steps carry
    // wall-clock times into the cluster log, where operators and other nodes read them.
    const now = monotonicNow();
    const wallNow = Date.now();
    this.shortSince = trackShortGroups(state, live, this.shortSince, now);
    const down = marksDown(state, live);
    const afterDown = reduceAll(state, down, state.version + 1);
    const planned = planDetailed(afterDown, now, live, this.shortSince, this.rebalanceDelayMs);
    this.report(planned.shortfalls, planned.waiting);
    const placements = await this.placeLogs(state);
    if (!this.isController || this.fence !== fence) return;
    // A DOWN mark lands only while the node's registration is still absent: the node may
    // have come back since the read above, and marking a live node DOWN would bounce it.
    for (let i = 0; i < down.length; i += MAX_DOWN_PER_TXN) {
      const chunk = down.slice(i, i + MAX_DOWN_PER_TXN);
      for (const command of chunk) this.logger.info({ command }, 'controller decision');
      const absent = chunk.map((c) => ({ key: this.keys.node((c as { nodeId: number }).nodeId), createRevision: '0' }));
      await this.log.appendAll(chunk, [fence, ...absent]);
    }
    // A pending cluster change owns the memberships until it completes: the automatic plan
    // would trim the extra member of a group in the middle of a move (ADR 017).
    const memberCommands = afterDown.pendingChange ? changeStepCommands(afterDown, live, wallNow) : planned.commands;
    // Placements first: a node that finds itself a member then already knows where the log is.
    const commands = [...placements, ...memberCommands];
    if (commands.length === 0) return;
    for (const command of commands) this.logger.info({ command }, 'controller decision');
    await this.log.appendAll(commands, [fence]);
  }

  /** Placements for partitions whose log has none yet; none when no partition etcd cluster is configured. */
  private async placeLogs(state: ClusterState): Promise<ClusterCommand[]> {
    const stores = this.logStores;
    if (!stores) return [];
    const unplaced = unplacedPartitions(state);
    if (unplaced.length === 0) return [];
    const eligible = stores.eligible();
    if (eligible === null) {
      this.reportPlacement(`waiting: ${stores.pendingReason()}`, () =>
        this.logger.warn({ partitions: unplaced, reason: stores.pendingReason() }, 'partition logs are not placed until every partition etcd cluster is identified'),
      );
      return [];
    }
    if (eligible.length === 0) return [];
    let found;
    try {
      found = await findPartitionKeys(stores.known(), this.keys, unplaced, this.callTimeoutMs);
    } catch (err) {
      // Placing without knowing where logs already are could start a second log: wait, but
      // let the members be planned meanwhile.
      this.reportPlacement(`probe failed: ${err instanceof Error ? err.message : String(err)}`, () =>
        this.logger.warn({ err, partitions: unplaced }, 'cannot look for existing partition logs in every etcd cluster; placing them later'),
      );
      return [];
    }
    const { commands, conflicts } = placeLogs(state, eligible, found);
    this.reportConflicts(conflicts);
    return commands;
  }

  private reportConflicts(conflicts: PlacementConflict[]): void {
    if (conflicts.length === 0) return;
    this.reportPlacement(JSON.stringify(conflicts), () =>
      this.logger.error(
        { conflicts },
        'partition keys found in more than one etcd cluster: these partitions are not placed (and not served) until the stray keys are removed by hand',
      ),
    );
  }

  /** Logs only changes: placement is retried every second while something is unplaced. */
  private reportPlacement(summary: string, log: () => void): void {
    if (summary === this.lastPlacementReport) return;
    this.lastPlacementReport = summary;
    log();
  }

  private async liveNodeIds(): Promise<Set<number>> {
    const keys = await withTimeout(this.etcd.getAll().prefix(this.keys.nodesPrefix).keys(), this.callTimeoutMs, 'node registrations read');
    const live = new Set<number>();
    for (const key of keys) {
      const nodeId = nodeIdOfKey(this.keys, key);
      if (nodeId !== null) live.add(nodeId);
    }
    return live;
  }

  /** Logs only changes: the planner runs every second. */
  private report(shortfalls: Shortfall[], waiting: number[]): void {
    this.currentShortfalls = shortfalls;
    const summary = JSON.stringify([shortfalls, waiting]);
    if (summary === this.lastReport) return;
    this.lastReport = summary;
    if (waiting.length > 0) {
      this.logger.info(
        { partitions: waiting, rebalanceDelayMs: this.rebalanceDelayMs },
        'fewer nodes than the replication factor: waiting for more before assigning these partitions',
      );
    }
    if (shortfalls.length > 0) {
      this.logger.warn({ shortfalls }, 'not enough eligible nodes to give every partition its replication factor');
    } else if (waiting.length === 0) {
      this.logger.info('every partition has its replication factor');
    }
  }

  /**
   * Compacts the cluster log below a snapshot of the state, then the MVCC history of the main
   * etcd and of every partition etcd cluster this node knows (history-compaction.ts).
   * With space monitors, also the space upkeep of each (space-keeper.ts): defragmenting a member
   * whose file is mostly free, one member at a time, and disarming a NOSPACE alarm once there
   * is room again.
   */
  private async compact(): Promise<void> {
    const fence = this.fence;
    if (!this.isController || !fence) return;
    try {
      const snapshot = await this.log.compact(this.clusterLogKeep, [fence]);
      if (snapshot !== null) this.logger.info({ version: snapshot }, 'compacted the cluster log below a snapshot');
    } catch (err) {
      this.logger.warn({ err }, 'cluster log compaction failed');
    }
    const targets = this.logStores?.known() ?? [{ id: 'main', etcd: this.etcd, endpoints: [] as readonly string[] }];
    this.warnUncompactable(targets.map((t) => t.id));
    await Promise.all(
      targets.map(async ({ id, etcd }) => {
        let compactor = this.compactors.get(id);
        if (!compactor) {
          compactor = new HistoryCompactor(etcd, this.keys.head, this.compactRetainRevisions, this.callTimeoutMs, () => (this.spaceMonitor(id)?.pressure ?? 'ok') !== 'ok');
          this.compactors.set(id, compactor);
        }
        try {
          const revision = await compactor.compact();
          if (revision !== null) this.logger.debug({ etcdCluster: id, revision }, 'compacted etcd history');
        } catch (err) {
          this.logger.warn({ err, etcdCluster: id }, 'etcd compaction failed');
        }
        await this.keeperFor(id, etcd)?.tick();
      }),
    );
  }

  private keeperFor(id: EtcdClusterId, etcd: Etcd3): EtcdSpaceKeeper | null {
    let keeper = this.keepers.get(id);
    if (keeper) return keeper;
    const monitor = this.spaceMonitor(id);
    if (!monitor) return null;
    keeper = new EtcdSpaceKeeper({
      etcd,
      monitor,
      logger: this.logger.child({ etcdCluster: id }),
      memberClient: (endpoint) => createEtcdClient({ endpoints: [endpoint] }),
      callTimeoutMs: this.callTimeoutMs,
    });
    this.keepers.set(id, keeper);
    return keeper;
  }

  /** A log placed on an etcd cluster this node has no endpoints for grows that etcd's history unchecked while it is controller. */
  private warnUncompactable(known: readonly EtcdClusterId[]): void {
    if (!this.logStores) return;
    for (const id of new Set(this.log.state.partitionLogs.values())) {
      if (known.includes(id) || this.unreachableWarned.has(id)) continue;
      this.unreachableWarned.add(id);
      this.logger.warn(
        { etcdCluster: id },
        'partition logs are placed on an etcd cluster this controller has no --partition-etcd-endpoints for: its history is not compacted while this node is controller',
      );
    }
  }
}
