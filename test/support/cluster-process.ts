/**
 * A whole Zen cluster of real processes on loopback for the cluster system tests: a real etcd
 * cluster (test/support/etcd.ts) and `zen start` nodes (ZenServer) joined to it with
 * `--etcd-endpoints`, every port 0 (read back from the "zen node started" line), optionally with
 * further etcd clusters for the partition logs (`--partition-etcd-endpoints`). Nodes can be
 * killed (-9), frozen (SIGSTOP/SIGCONT), restarted on their data dir and stopped cleanly;
 * `dispose()` leaves no process and no directory behind whatever state the test left them in.
 */
import { rm } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, onTestFailed } from 'vitest';
import { EtcdCluster } from './etcd.js';
import { deployFixtures, muteSdkStreamCancellations, sleep, zeebeClient, type ZeebeClient } from './server-client.js';
import { type LogLine, type ServerOptions, ZenServer } from './server-process.js';

export interface ZenClusterOptions {
  /** Nodes with partitions, ids 0..nodes-1 (default 3). */
  readonly nodes?: number;
  /** etcd members (default 3). */
  readonly etcdMembers?: number;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** `--lease-ttl` seconds (default 2: fast failover, still well above a GC pause). */
  readonly leaseTtl?: number;
  /** Extra flags for every node. */
  readonly args?: readonly string[];
  /** Extra flags for one node (after `args`), e.g. its own certificate. */
  readonly nodeArgs?: (nodeId: number) => readonly string[];
  /** Extra flags for every member of the main etcd cluster. */
  readonly etcdArgs?: readonly string[];
  /** Addresses the main etcd cluster's members listen on besides 127.0.0.1. */
  readonly etcdClientHosts?: readonly string[];
  /** How node `nodeId`'s process is started and reached: its host, a launcher (e.g. into a network namespace), extra environment variables. */
  readonly nodeServer?: (nodeId: number) => Pick<ServerOptions, 'host' | 'launcher' | 'env'>;
  /** Further etcd clusters for partition logs (default none), each of `partitionEtcdMembers` members (default 1). */
  readonly partitionEtcdClusters?: number;
  readonly partitionEtcdMembers?: number;
  /**
   * A node's `--partition-etcd-endpoints` value; default: every cluster with all its members,
   * in order. Lets a test give nodes the clusters in different orders or through different members.
   */
  readonly partitionEtcdEndpoints?: (nodeId: number, clusters: readonly EtcdCluster[]) => string;
  /** Append each node's whole output to `<outputDir>/node<id>.log` (besides the last 512 KiB kept in memory). */
  readonly outputDir?: string;
}

export interface NodeTopology {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly partitions: ReadonlyArray<{ readonly partitionId: number; readonly role: string; readonly health: string }>;
}

export interface ClusterTopology {
  readonly brokers: readonly NodeTopology[];
  readonly clusterSize: number;
  readonly partitionsCount: number;
  readonly replicationFactor: number;
}

export interface ZenNodeProcess {
  readonly nodeId: number;
  readonly server: ZenServer;
  readonly dataDir: string;
  readonly controllerOnly: boolean;
}

/** The roles a topology reports: partition → node ids per role. */
export function rolesOf(topology: ClusterTopology): Map<number, { leaders: number[]; followers: number[]; other: number[] }> {
  const out = new Map<number, { leaders: number[]; followers: number[]; other: number[] }>();
  for (let p = 1; p <= topology.partitionsCount; p++) out.set(p, { leaders: [], followers: [], other: [] });
  for (const broker of topology.brokers) {
    for (const partition of broker.partitions) {
      const entry = out.get(partition.partitionId) ?? { leaders: [], followers: [], other: [] };
      out.set(partition.partitionId, entry);
      const role = String(partition.role);
      if (role === 'LEADER') entry.leaders.push(broker.nodeId);
      else if (role === 'FOLLOWER') entry.followers.push(broker.nodeId);
      else entry.other.push(broker.nodeId);
    }
  }
  return out;
}

export class ZenCluster {
  readonly nodes = new Map<number, ZenNodeProcess>();
  private readonly clients = new Map<number, { port: number; client: ZeebeClient }>();
  private readonly root = mkdtempSync(join(tmpdir(), 'zen-cluster-'));

  private constructor(
    readonly etcd: EtcdCluster,
    readonly options: Required<Omit<ZenClusterOptions, 'args' | 'partitionEtcdEndpoints' | 'nodeArgs' | 'outputDir' | 'nodeServer'>> &
      Pick<ZenClusterOptions, 'partitionEtcdEndpoints' | 'nodeArgs' | 'outputDir' | 'nodeServer'> & { args: readonly string[] },
    /** The further etcd clusters for partition logs (none unless asked for). */
    readonly partitionEtcds: readonly EtcdCluster[] = [],
  ) {}

  static async start(options: ZenClusterOptions = {}): Promise<ZenCluster> {
    const resolved = {
      nodes: options.nodes ?? 3,
      etcdMembers: options.etcdMembers ?? 3,
      partitions: options.partitions ?? 3,
      replicationFactor: options.replicationFactor ?? 3,
      leaseTtl: options.leaseTtl ?? 2,
      // ZEN_CLUSTER_TEST_LOG_LEVEL=debug for the nodes' own diagnostics.
      args: [...(process.env.ZEN_CLUSTER_TEST_LOG_LEVEL ? ['--log-level', process.env.ZEN_CLUSTER_TEST_LOG_LEVEL] : []), ...(options.args ?? [])],
      partitionEtcdClusters: options.partitionEtcdClusters ?? 0,
      partitionEtcdMembers: options.partitionEtcdMembers ?? 1,
      partitionEtcdEndpoints: options.partitionEtcdEndpoints,
      nodeArgs: options.nodeArgs,
      outputDir: options.outputDir,
      etcdArgs: options.etcdArgs ?? [],
      etcdClientHosts: options.etcdClientHosts ?? [],
      nodeServer: options.nodeServer,
    };
    const started = await Promise.allSettled([
      EtcdCluster.start(resolved.etcdMembers, resolved.etcdArgs, resolved.etcdClientHosts),
      ...Array.from({ length: resolved.partitionEtcdClusters }, () => EtcdCluster.start(resolved.partitionEtcdMembers)),
    ]);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
      throw failed.reason;
    }
    const [etcd, ...partitionEtcds] = started.map((r) => (r as PromiseFulfilledResult<EtcdCluster>).value);
    const cluster = new ZenCluster(etcd!, resolved, partitionEtcds);
    try {
      await Promise.all(Array.from({ length: resolved.nodes }, (_, nodeId) => cluster.addNode(nodeId)));
    } catch (err) {
      await cluster.dispose();
      throw err;
    }
    return cluster;
  }

  /** Starts node `nodeId` (a new data dir) and waits for its /ready. */
  async addNode(nodeId: number, options: { controllerOnly?: boolean } = {}): Promise<ZenNodeProcess> {
    const dataDir = this.dataDirOf(nodeId);
    const controllerOnly = options.controllerOnly ?? false;
    const outputFile = this.options.outputDir ? join(this.options.outputDir, `node${nodeId}.log`) : undefined;
    const server = await ZenServer.start({
      args: this.argsFor(nodeId, { controllerOnly }),
      dataDir,
      startTimeoutMs: 60_000,
      ...(outputFile ? { outputFile } : {}),
      ...this.options.nodeServer?.(nodeId),
    });
    const node = { nodeId, server, dataDir, controllerOnly };
    this.nodes.set(nodeId, node);
    return node;
  }

  dataDirOf(nodeId: number): string {
    return join(this.root, `node${nodeId}`);
  }

  /** The `zen start` flags of node `nodeId` (but the data dir and ports), for a test that starts it some other way. */
  argsFor(nodeId: number, options: { controllerOnly?: boolean } = {}): string[] {
    const controllerOnly = options.controllerOnly ?? false;
    return [
      '--node-id', String(nodeId),
      '--zone', `z${nodeId}`,
      '--etcd-endpoints', this.etcd.endpoints.join(','),
      ...this.partitionEtcdArgs(nodeId),
      '--partitions', String(this.options.partitions),
      '--replication-factor', String(this.options.replicationFactor),
      '--lease-ttl', String(this.options.leaseTtl),
      '--private-port', '0',
      '--advertise-host', this.options.nodeServer?.(nodeId).host ?? '127.0.0.1',
      // Leaderships stay where failover put them for the length of a test (hand-back is tested
      // in partition-group.test.ts); a test's own args can set it.
      '--rebalance-delay', '3600',
      ...(controllerOnly ? ['--controller-only'] : []),
      ...this.options.args,
      ...(this.options.nodeArgs?.(nodeId) ?? []),
    ];
  }

  private partitionEtcdArgs(nodeId: number): string[] {
    if (this.partitionEtcds.length === 0) return [];
    const value = this.options.partitionEtcdEndpoints?.(nodeId, this.partitionEtcds) ?? this.partitionEtcds.map((c) => c.endpoints.join(',')).join(';');
    return ['--partition-etcd-endpoints', value];
  }

  node(nodeId: number): ZenNodeProcess {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`no node ${nodeId} in this cluster`);
    return node;
  }

  /** Ids of nodes whose process runs (frozen ones included). */
  runningNodeIds(): number[] {
    return [...this.nodes.values()].filter((n) => n.server.running).map((n) => n.nodeId);
  }

  /** A quiet SDK client to node `nodeId`, rebuilt when the node restarted on new ports. */
  client(nodeId: number): ZeebeClient {
    const server = this.node(nodeId).server;
    const cached = this.clients.get(nodeId);
    if (cached && cached.port === server.grpcPort) return cached.client;
    if (cached) void cached.client.close().catch(() => {});
    const client = zeebeClient(server);
    this.clients.set(nodeId, { port: server.grpcPort, client });
    return client;
  }

  async topology(viaNodeId: number): Promise<ClusterTopology> {
    return (await this.client(viaNodeId).topology()) as unknown as ClusterTopology;
  }

  /**
   * Polls the topology through `viaNodeIds` until every partition has exactly one leader among
   * `leaderAmong` (default: running nodes) and, when given, each of the `members` nodes has a
   * role (LEADER or FOLLOWER) in every partition (clusters where every node holds every
   * partition) — as every one of `viaNodeIds` sees it.
   */
  async waitForLeaders(options: {
    viaNodeIds?: readonly number[];
    leaderAmong?: readonly number[];
    members?: readonly number[];
    timeoutMs?: number;
  } = {}): Promise<{ leaders: Map<number, number>; topology: ClusterTopology; elapsedMs: number }> {
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? 30_000;
    let last: unknown = null;
    for (;;) {
      const via = options.viaNodeIds ?? this.runningNodeIds();
      const among = new Set(options.leaderAmong ?? this.runningNodeIds());
      try {
        let agreed: Map<number, number> | null = null;
        let topology: ClusterTopology | null = null;
        for (const nodeId of via) {
          topology = await this.topology(nodeId);
          const roles = rolesOf(topology);
          const leaders = new Map<number, number>();
          let ok = true;
          for (const [partitionId, entry] of roles) {
            if (entry.leaders.length !== 1 || !among.has(entry.leaders[0]!)) ok = false;
            else leaders.set(partitionId, entry.leaders[0]!);
          }
          for (const member of options.members ?? []) {
            const broker = topology.brokers.find((b) => b.nodeId === member);
            const withRole = broker?.partitions.filter((p) => p.role === 'LEADER' || p.role === 'FOLLOWER') ?? [];
            if (withRole.length !== this.options.partitions) ok = false;
          }
          if (agreed && [...leaders].some(([p, n]) => agreed!.get(p) !== n)) ok = false;
          last = { via: nodeId, topology };
          if (!ok) {
            agreed = null;
            break;
          }
          agreed = leaders;
        }
        if (agreed && topology) return { leaders: agreed, topology, elapsedMs: Date.now() - started };
      } catch (err) {
        last = err;
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(`no stable leader per partition within ${timeoutMs} ms; last topology: ${JSON.stringify(last, null, 1)}`);
      }
      await sleep(100);
    }
  }

  /** SIGKILL of a node (no drain); its data dir stays for a restart. */
  async kill9(nodeId: number): Promise<void> {
    this.dropClient(nodeId);
    const server = this.node(nodeId).server;
    // SIGKILL ends a frozen (SIGSTOPped) process too.
    if (server.running) await server.kill9();
  }

  /** SIGSTOP: the process keeps its sockets but does nothing (a long GC pause, a frozen VM). */
  freeze(nodeId: number): void {
    process.kill(this.node(nodeId).server.pid, 'SIGSTOP');
  }

  thaw(nodeId: number): void {
    process.kill(this.node(nodeId).server.pid, 'SIGCONT');
  }

  /** Starts a stopped or killed node again on its data dir (new ports). */
  async restart(nodeId: number): Promise<void> {
    this.dropClient(nodeId);
    await this.node(nodeId).server.restart();
  }

  /** SIGTERM to every running node at once; resolves with each exit. */
  async stopAll(): Promise<Map<number, { code: number | null; signal: NodeJS.Signals | null }>> {
    await this.closeClients();
    const exits = new Map<number, { code: number | null; signal: NodeJS.Signals | null }>();
    await Promise.all(
      [...this.nodes.values()].filter((n) => n.server.running).map(async (n) => exits.set(n.nodeId, await n.server.stop(30_000))),
    );
    return exits;
  }

  /** Log lines of a node (all runs) whose message contains `text`. */
  logsOf(nodeId: number, text: string): LogLine[] {
    return this.node(nodeId).server.logs().filter((line) => typeof line.msg === 'string' && line.msg.includes(text));
  }

  /** Every node's output, for failure messages. */
  output(maxCharsPerNode = 30_000): string {
    return [...this.nodes.values()]
      .map((n) => `===== node ${n.nodeId} (data dir ${n.dataDir}) =====\n${n.server.output(maxCharsPerNode)}`)
      .join('\n');
  }

  /** Kills whatever still runs (nodes first), then every etcd cluster, and deletes every directory. */
  async dispose(): Promise<void> {
    await this.closeClients().catch(() => {});
    // For debugging: ZEN_CLUSTER_TEST_LOGS=<dir> keeps every node's output (the last 512 KiB).
    const keep = process.env.ZEN_CLUSTER_TEST_LOGS;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      for (const n of this.nodes.values()) writeFileSync(join(keep, `node${n.nodeId}.log`), n.server.output(Number.MAX_SAFE_INTEGER));
    }
    await Promise.all(
      [...this.nodes.values()].map(async (n) => {
        if (n.server.running) await n.server.kill9().catch(() => {});
      }),
    );
    await Promise.all([this.etcd, ...this.partitionEtcds].map((etcd) => etcd.stop().catch(() => {})));
    await rm(this.root, { recursive: true, force: true });
  }

  private dropClient(nodeId: number): void {
    const cached = this.clients.get(nodeId);
    this.clients.delete(nodeId);
    if (cached) void cached.client.close().catch(() => {});
  }

  private async closeClients(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((c) => Promise.race([c.client.close().catch(() => {}), sleep(2_000)])));
  }
}

/** Index of the etcd member that is the raft leader now (as the members report it). */
export async function etcdLeaderIndex(etcd: EtcdCluster, members: number): Promise<number> {
  for (let i = 0; i < members; i++) {
    try {
      const response = await fetch(`${etcd.memberEndpoint(i)}/v3/maintenance/status`, { method: 'POST', body: '{}' });
      const status = (await response.json()) as { header?: { member_id?: string }; leader?: string };
      if (status.leader && status.header?.member_id === status.leader) return i;
    } catch {
      // a member that does not answer is not the leader
    }
  }
  throw new Error('no etcd member says it leads');
}

/** Prints every node's output when a test of the calling file fails. */
export function showClusterOutputOnFailure(cluster: () => ZenCluster | undefined): void {
  beforeEach(() => {
    onTestFailed(({ task }) => {
      if (task.fails) return;
      const c = cluster();
      if (c) console.error(c.output());
    });
  });
}

/**
 * One cluster for the calling test file: started before its tests (every node a member, one
 * leader per partition, `fixtures` deployed), disposed after them, every node's output shown
 * when a test fails. Returns the cluster's getter.
 */
export function clusterForFile(options: ZenClusterOptions, fixtures: readonly string[] = []): () => ZenCluster {
  let cluster: ZenCluster | undefined;
  beforeAll(async () => {
    cluster = await ZenCluster.start(options);
    await cluster.waitForLeaders({ members: Array.from({ length: options.nodes ?? 3 }, (_, i) => i), timeoutMs: 30_000 });
    if (fixtures.length > 0) await deployFixtures(cluster.client(0), ...fixtures);
  }, 120_000);
  afterAll(async () => {
    await cluster?.dispose();
  }, 60_000);
  showClusterOutputOnFailure(() => cluster);
  muteSdkStreamCancellations();
  return () => {
    if (!cluster) throw new Error('the cluster of this file did not start');
    return cluster;
  };
}
