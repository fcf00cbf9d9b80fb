/**
 * The cluster a chaos run works on: ZenCluster (real etcd members, real `zen start` nodes) with
 * what fault injection needs around it:
 * - every node reaches each etcd member through its own TCP proxy, and peers reach its private
 *   port through a proxy it advertises (`--advertise-private-port`), so that blocking one node's
 *   proxies cuts it off from etcd and from the other nodes (a network partition on loopback);
 * - one node's data dir is a small tmpfs, so that a ballast file can fill its disk;
 * - every node runs with `--clock-control`, so the engine clock can be jumped.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { ZenCluster } from '../support/cluster-process.js';
import { freePort } from '../support/etcd.js';
import { deployFixtures } from '../support/server-client.js';
import { TcpProxy } from '../support/tcp-proxy.js';

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
  ) {}

  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const privatePorts = new Map<number, number>();
    rmSync(options.logsDir, { recursive: true, force: true });
    mkdirSync(options.logsDir, { recursive: true });
    let chaos: ChaosCluster | null = null;
    const zen = await ZenCluster.start({
      nodes: 0,
      etcdMembers: options.etcdMembers,
      partitions: options.partitions,
      replicationFactor: options.replicationFactor,
      leaseTtl: 2,
      args: ['--clock-control'],
      outputDir: options.logsDir,
      // Later flags win: these replace ZenCluster's direct etcd endpoints and private port 0.
      nodeArgs: (nodeId) => [
        '--etcd-endpoints', chaos!.etcdProxies.get(nodeId)!.map((p) => p.url).join(','),
        '--private-port', String(privatePorts.get(nodeId)!),
        '--advertise-private-port', String(chaos!.privateProxies.get(nodeId)!.port),
      ],
    });
    chaos = new ChaosCluster(zen, options);
    try {
      for (let nodeId = 0; nodeId < options.nodes; nodeId++) {
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
      await zen.waitForLeaders({ members: all, timeoutMs: 60_000 });
      await deployFixtures(zen.client(0), ...CHAOS_FIXTURES);
    } catch (err) {
      await chaos.dispose();
      throw err;
    }
    return chaos;
  }

  get nodeIds(): number[] {
    return Array.from({ length: this.options.nodes }, (_, i) => i);
  }

  /** Nodes a client may call now: running and not being restarted (frozen ones included: a client cannot tell). */
  clientNodes(): number[] {
    return this.nodeIds.filter((n) => !this.down.has(n) && this.zen.nodes.get(n)?.server.running);
  }

  /** Nodes that answer now (not frozen either). */
  answeringNodes(): number[] {
    return this.clientNodes().filter((n) => !this.frozen.has(n));
  }

  /** Cuts node `nodeId` off from every etcd member and from its peers' calls. */
  isolate(nodeId: number): void {
    for (const proxy of this.etcdProxies.get(nodeId) ?? []) proxy.block();
    this.privateProxies.get(nodeId)?.block();
  }

  rejoin(nodeId: number): void {
    for (const proxy of this.etcdProxies.get(nodeId) ?? []) proxy.unblock();
    this.privateProxies.get(nodeId)?.unblock();
  }

  restRequest(nodeId: number, method: string, path: string, body?: unknown, timeoutMs = 5_000): Promise<Response> {
    const server = this.zen.node(nodeId).server;
    return fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  get tmpfsMounted(): string | null {
    return this.tmpfsDir;
  }

  /** Kills every node, stops proxies and etcd, unmounts the tmpfs, deletes every directory. */
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
    await this.zen.dispose();
  }
}
