/**
 * The cluster a chaos run works on: ZenCluster (real etcd members, real `zen start` nodes) with
 * what fault injection needs around it:
 * - where network namespaces can be made (`namespaces`), every node runs in its own namespace
 *   behind a veth on one bridge (NamespaceNetwork) and reaches etcd at the bridge's address:
 *   taking its veth down cuts it off both ways (a two-way partition);
 * - elsewhere every node reaches each etcd member through its own TCP proxy, and peers reach
 *   its private port through a proxy it advertises (`--advertise-private-port`), so that
 *   blocking one node's proxies cuts it off from etcd and from its peers' calls (one-way: its
 *   own calls to its peers still pass);
 * - one node's data dir is a small tmpfs, so that a ballast file can fill its disk;
 * - every node runs with `--clock-control`, so the engine clock can be jumped;
 * - where libfaketime is there (`nodeClockLibrary`), every node process (never etcd) runs with
 *   it preloaded and a timestamp file of its own, so that its own wall clock can be jumped
 *   (node-clock.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZenCluster } from '../support/cluster-process.js';
import { freePort } from '../support/etcd.js';
import { deployFixtures } from '../support/server-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { NamespaceNetwork } from './namespace-network.js';
import { faketimeEnv, writeClockOffset } from './node-clock.js';

export const CHAOS_FIXTURES = ['chaos-one-task.bpmn', 'chaos-timer-task.bpmn', 'chaos-message-task.bpmn', 'chaos-user-task.bpmn'];

export interface ChaosClusterOptions {
  readonly nodes: number;
  readonly etcdMembers: number;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** The node whose data dir is a tmpfs of `tmpfsMb` (null: none, disk-full is not available). */
  readonly tmpfsNode: number | null;
  readonly tmpfsMb: number;
  /** Each node's whole output goes to `<logsDir>/node<id>.log`. */
  readonly logsDir: string;
  /** Partitions through network namespaces (two-way) instead of TCP proxies (one-way). */
  readonly namespaces: boolean;
  /** Extra flags for every node (after the chaos defaults). */
  readonly args?: readonly string[];
  /** libfaketime to preload into every node process, each with its own clock file (absent or null: real clocks). */
  readonly nodeClockLibrary?: string | null;
}

export class ChaosCluster {
  /** Nodes whose process is stopped with SIGSTOP right now. */
  readonly frozen = new Set<number>();
  /** Nodes being killed or restarted right now: no client goes there. */
  readonly down = new Set<number>();
  private readonly etcdProxies = new Map<number, TcpProxy[]>();
  private readonly privateProxies = new Map<number, TcpProxy>();
  private tmpfsDir: string | null = null;

  private constructor(
    readonly zen: ZenCluster,
    readonly options: ChaosClusterOptions,
    /** The namespaces the nodes run in (null: proxies make the partitions). */
    readonly network: NamespaceNetwork | null,
    /** Where each node's libfaketime timestamp file is (null: the nodes run on the real clock). */
    private readonly clockDir: string | null,
  ) {}

  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const privatePorts = new Map<number, number>();
    rmSync(options.logsDir, { recursive: true, force: true });
    mkdirSync(options.logsDir, { recursive: true });
    let chaos: ChaosCluster | null = null;
    const network = options.namespaces ? NamespaceNetwork.create(Array.from({ length: options.nodes }, (_, i) => i)) : null;
    // Every node's clock file starts at +0; the env is kept for restarts (ZenServer reuses its options).
    const clockDir = options.nodeClockLibrary ? mkdtempSync(join(tmpdir(), 'zen-chaos-clocks-')) : null;
    for (let nodeId = 0; clockDir && nodeId < options.nodes; nodeId++) writeClockOffset(clockFile(clockDir, nodeId), 0);
    const clockEnv = (nodeId: number) => (clockDir ? { env: faketimeEnv(options.nodeClockLibrary!, clockFile(clockDir, nodeId)) } : {});
    const common = {
      nodes: 0,
      etcdMembers: options.etcdMembers,
      partitions: options.partitions,
      replicationFactor: options.replicationFactor,
      leaseTtl: 2,
      args: ['--clock-control', ...(options.args ?? [])],
      outputDir: options.logsDir,
    };
    let zen: ZenCluster;
    try {
      zen = network
        ? await ZenCluster.start({
            ...common,
            etcdClientHosts: [network.gateway],
            nodeServer: (nodeId) => ({ host: network.addressOf(nodeId), launcher: network.launcher(nodeId), ...clockEnv(nodeId) }),
            // Later flags win: this replaces ZenCluster's endpoints on loopback (a namespace has a loopback of its own).
            nodeArgs: () => ['--etcd-endpoints', zen.etcd.endpointsAt(network.gateway).join(',')],
          })
        : await ZenCluster.start({
            ...common,
            nodeServer: clockEnv,
            // Later flags win: these replace ZenCluster's direct etcd endpoints and private port 0.
            nodeArgs: (nodeId) => [
              '--etcd-endpoints', chaos!.etcdProxies.get(nodeId)!.map((p) => p.url).join(','),
              '--private-port', String(privatePorts.get(nodeId)!),
              '--advertise-private-port', String(chaos!.privateProxies.get(nodeId)!.port),
            ],
          });
    } catch (err) {
      network?.disposeSync();
      if (clockDir) rmSync(clockDir, { recursive: true, force: true });
      throw err;
    }
    chaos = new ChaosCluster(zen, options, network, clockDir);
    try {
      // With namespaces the veths make the partitions: no proxies.
      for (let nodeId = 0; !network && nodeId < options.nodes; nodeId++) {
        const privatePort = await freePort();
        privatePorts.set(nodeId, privatePort);
        chaos.privateProxies.set(nodeId, await TcpProxy.start('127.0.0.1', privatePort));
        const proxies: TcpProxy[] = [];
        for (let m = 0; m < options.etcdMembers; m++) proxies.push(await TcpProxy.start('127.0.0.1', zen.etcd.clientPortOf(m)));
        chaos.etcdProxies.set(nodeId, proxies);
      }
      if (options.tmpfsNode !== null) {
        const dir = zen.dataDirOf(options.tmpfsNode);
        mkdirSync(dir, { recursive: true });
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${options.tmpfsMb}m`, 'tmpfs', dir]);
        chaos.tmpfsDir = dir;
      }
      await Promise.all(Array.from({ length: options.nodes }, (_, nodeId) => zen.addNode(nodeId)));
      const all = Array.from({ length: options.nodes }, (_, i) => i);
      // With more nodes than the replication factor, not every node holds every partition.
      await zen.waitForLeaders({ members: options.nodes <= options.replicationFactor ? all : undefined, timeoutMs: 60_000 });
      await deployFixtures(zen.client(0), ...CHAOS_FIXTURES);
    } catch (err) {
      await chaos.dispose();
      throw err;
    }
    return chaos;
  }

  /** Nodes that hold every partition: all of them while there are no more nodes than the replication factor, else none. */
  get fullMembers(): number[] | undefined {
    return this.nodeIds.length <= this.options.replicationFactor ? this.nodeIds : undefined;
  }

  /** The nodes holding each partition now (LEADER or FOLLOWER), as `viaNodeId` sees the topology. */
  async membersByPartition(viaNodeId: number): Promise<Map<number, number[]>> {
    const topology = await this.zen.topology(viaNodeId);
    const members = new Map<number, number[]>();
    for (const broker of topology.brokers) {
      for (const p of broker.partitions) {
        if (p.role !== 'LEADER' && p.role !== 'FOLLOWER') continue;
        members.set(p.partitionId, [...(members.get(p.partitionId) ?? []), broker.nodeId].sort((a, b) => a - b));
      }
    }
    return members;
  }

  get nodeIds(): number[] {
    return Array.from({ length: this.options.nodes }, (_, i) => i);
  }

  /** Nodes a client may call now: running and not being restarted (frozen ones included: a client cannot tell). */
  clientNodes(): number[] {
    return this.nodeIds.filter((n) => !this.down.has(n) && this.zen.nodes.get(n)?.server.running);
  }

  /** Nodes that answer now: not frozen, and not cut off from the test by a namespace partition. */
  answeringNodes(): number[] {
    return this.clientNodes().filter((n) => !this.frozen.has(n) && !this.network?.isCut(n));
  }

  /**
   * Cuts node `nodeId` off: with namespaces from everything (etcd, peers, the test's clients),
   * both ways; with proxies from every etcd member and from its peers' calls.
   */
  isolate(nodeId: number): void {
    if (this.network) return this.network.cut(nodeId);
    for (const proxy of this.etcdProxies.get(nodeId) ?? []) proxy.block();
    this.privateProxies.get(nodeId)?.block();
  }

  rejoin(nodeId: number): void {
    if (this.network) return this.network.heal(nodeId);
    for (const proxy of this.etcdProxies.get(nodeId) ?? []) proxy.unblock();
    this.privateProxies.get(nodeId)?.unblock();
  }

  restRequest(nodeId: number, method: string, path: string, body?: unknown, timeoutMs = 5_000): Promise<Response> {
    const server = this.zen.node(nodeId).server;
    return fetch(`http://${server.host}:${server.restPort}/v2${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  get tmpfsMounted(): string | null {
    return this.tmpfsDir;
  }

  /** Whether the nodes run with libfaketime, so that their wall clocks can be jumped. */
  get nodeClocks(): boolean {
    return this.clockDir !== null;
  }

  /**
   * Moves node `nodeId`'s own wall clock `offsetMs` off the real time (0: back to it), through
   * its timestamp file, atomically. The node sees it within about 2 s (node-clock.ts); it stays
   * across a restart of the node until set again.
   */
  setNodeClock(nodeId: number, offsetMs: number): void {
    if (!this.clockDir) throw new Error('the nodes run on the real clock (no libfaketime)');
    writeClockOffset(clockFile(this.clockDir, nodeId), offsetMs);
  }

  /** Kills every node, stops proxies and etcd, unmounts the tmpfs, deletes every directory (the clock files too) and the namespaces. */
  async dispose(): Promise<void> {
    for (const nodeId of this.frozen) {
      try {
        this.zen.thaw(nodeId);
      } catch {
        // already gone
      }
    }
    for (const node of this.zen.nodes.values()) if (node.server.running) await node.server.kill9().catch(() => {});
    for (const proxy of [...this.privateProxies.values(), ...[...this.etcdProxies.values()].flat()]) await proxy.stop().catch(() => {});
    if (this.tmpfsDir) {
      try {
        execFileSync('umount', [this.tmpfsDir]);
      } catch {
        // left mounted: dispose below then fails to delete it, which it ignores
      }
      this.tmpfsDir = null;
    }
    for (let m = 0; m < this.options.etcdMembers; m++) this.zen.etcd.thaw(m);
    try {
      await this.zen.dispose();
    } finally {
      this.network?.disposeSync();
      if (this.clockDir) rmSync(this.clockDir, { recursive: true, force: true });
    }
  }
}

function clockFile(dir: string, nodeId: number): string {
  return join(dir, `node${nodeId}.faketime`);
}
