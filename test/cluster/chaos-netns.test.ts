/**
 * The chaos suite's two-way partitions (test/chaos/namespace-network.ts, ADR 018) with real
 * processes: 3 etcd members in the root namespace, 3 `zen start` nodes each in its own network
 * namespace behind a veth on one bridge. Checks, in order on one cluster:
 * 1. each node runs in its namespace and the pid the test holds is the node's (signals reach it);
 * 2. the tmpfs mounted on a node's data dir in the root namespace is the one the node writes to;
 * 3. a partition cuts both ways — the isolated node reaches neither a peer's private port nor
 *    etcd, and no peer reaches its private port — and the node loses its leadership and its
 *    membership; healed, every path works again and the node is a member and a leader again;
 * 4. dispose leaves no namespace, veth or bridge, and leftovers of a dead run are removed.
 * Needs root and iproute2: skipped (with the reason) elsewhere; under CI=true, running as root
 * with a failing probe is a failure.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosCluster } from '../chaos/chaos-cluster.js';
import { NamespaceNetwork, probeNamespaces, removeLeftovers } from '../chaos/namespace-network.js';
import { rolesOf, showClusterOutputOnFailure, type ClusterTopology } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { eventually } from '../support/eventually.js';
import { muteSdkStreamCancellations } from '../support/server-client.js';

const NAME = 'chaos partitions through network namespaces';
const asRoot = process.getuid?.() === 0;
const probe = asRoot ? probeNamespaces() : 'not running as root';

/** Connects from inside `namespace` (a fresh process there) and says what happened: connected, timeout or an errno code. */
function connectFrom(namespace: string, host: string, port: number): Promise<string> {
  const script = `
    const s = require('node:net').connect(Number(process.argv[2]), process.argv[1]);
    s.setTimeout(2000);
    s.on('connect', () => { process.stdout.write('connected'); process.exit(0); });
    s.on('timeout', () => { process.stdout.write('timeout'); process.exit(0); });
    s.on('error', (e) => { process.stdout.write(String(e.code)); process.exit(0); });`;
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', namespace, process.execPath, '-e', script, host, String(port)], { encoding: 'utf8', timeout: 10_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

function body(): void {
  let chaos: ChaosCluster | undefined;
  let network: NamespaceNetwork;
  muteSdkStreamCancellations();
  showClusterOutputOnFailure(() => chaos?.zen);

  beforeAll(async () => {
    chaos = await ChaosCluster.start({
      nodes: 3,
      etcdMembers: 3,
      partitions: 3,
      replicationFactor: 3,
      tmpfsNode: 2,
      tmpfsMb: 64,
      logsDir: join(tmpdir(), `zen-chaos-netns-${process.pid}-logs`),
      namespaces: true,
      // Leadership goes back to a returned preferred leader after 5 s: the healed node leads again.
      args: ['--rebalance-delay', '5'],
    });
    network = chaos.network!;
  }, 120_000);

  afterAll(async () => {
    await chaos?.dispose();
  }, 60_000);

  const pidOf = (nodeId: number) => chaos!.zen.node(nodeId).server.pid;
  const privatePortOf = (nodeId: number) => {
    const started = chaos!.zen.logsOf(nodeId, 'zen node started').at(-1);
    return Number(started?.privatePort);
  };
  const topologyVia = async (nodeId: number) => (await chaos!.zen.topology(nodeId)) as ClusterTopology;
  const rolesOfNode = (topology: ClusterTopology, nodeId: number) =>
    topology.brokers.find((b) => b.nodeId === nodeId)?.partitions.filter((p) => p.role === 'LEADER' || p.role === 'FOLLOWER').map((p) => p.role) ?? [];

  it('runs each node in its own namespace, and the pid held is the node\'s own', async () => {
    const rootNet = statSync('/proc/self/ns/net').ino;
    for (const nodeId of chaos!.nodeIds) {
      const pid = pidOf(nodeId);
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('zen.js');
      const nodeNet = statSync(`/proc/${pid}/ns/net`).ino;
      expect(nodeNet).not.toBe(rootNet);
      expect(nodeNet).toBe(statSync(`/run/netns/${network.namespaceOf(nodeId)}`).ino);
    }
    // SIGSTOP through the held pid stops the node itself (state T), SIGCONT continues it.
    const state = () => readFileSync(`/proc/${pidOf(0)}/stat`, 'utf8').split(') ')[1]![0];
    chaos!.zen.freeze(0);
    try {
      await eventually('node 0 stopped', () => state() === 'T');
    } finally {
      chaos!.zen.thaw(0);
    }
    await eventually('node 0 continued', () => state() !== 'T');
  });

  it('gives the node in a namespace the tmpfs mounted on its data dir in the root namespace', () => {
    const dir = chaos!.tmpfsMounted!;
    expect(dir).toBeTruthy();
    const mount = readFileSync(`/proc/${pidOf(2)}/mountinfo`, 'utf8').split('\n').find((line) => line.split(' ')[4] === dir);
    expect(mount, `no mount at ${dir} in the node's mountinfo`).toContain(' - tmpfs ');
    // A file written from the root namespace (as the ballast is) is in the node's file system.
    writeFileSync(join(dir, 'seen-inside'), 'from the root namespace');
    expect(execFileSync('ip', ['netns', 'exec', network.namespaceOf(2), 'cat', join(dir, 'seen-inside')], { encoding: 'utf8' })).toBe('from the root namespace');
  });

  it('cuts a partitioned node off both ways, and it loses and regains leadership and membership', async () => {
    const zen = chaos!.zen;
    // Every node leads its preferred partition once the start-up rebalancing settled.
    await eventually('one leadership per node', async () => {
      const { leaders } = await zen.waitForLeaders({ members: [0, 1, 2], timeoutMs: 60_000 });
      return new Set(leaders.values()).size === 3;
    }, 60_000);
    const victim = 0;
    const peer = 1;
    const etcdPort = zen.etcd.clientPortOf(0);
    const paths = () =>
      Promise.all([
        connectFrom(network.namespaceOf(victim), network.addressOf(peer), privatePortOf(peer)),
        connectFrom(network.namespaceOf(peer), network.addressOf(victim), privatePortOf(victim)),
        connectFrom(network.namespaceOf(victim), network.gateway, etcdPort),
      ]);
    expect(await paths()).toEqual(['connected', 'connected', 'connected']);

    chaos!.isolate(victim);
    try {
      const cut = await paths();
      for (const outcome of cut) expect(outcome, `during the partition: ${JSON.stringify(cut)}`).not.toBe('connected');
      expect(chaos!.answeringNodes()).toEqual([1, 2]);
      // The others take over its leadership and drop it from every partition's members.
      await zen.waitForLeaders({ viaNodeIds: [1, 2], leaderAmong: [1, 2], timeoutMs: 30_000 });
      await eventually('the isolated node without a role, as its peers see it', async () => {
        const views = await Promise.all([topologyVia(1), topologyVia(2)]);
        return views.every((t) => rolesOfNode(t, victim).length === 0);
      }, 30_000);
    } finally {
      chaos!.rejoin(victim);
    }

    await eventually('every path open again', async () => (await paths()).every((o) => o === 'connected'), 30_000);
    await zen.waitForLeaders({ members: [0, 1, 2], timeoutMs: 60_000 });
    await eventually('the healed node leading again', async () => {
      const roles = rolesOf(await topologyVia(peer));
      return [...roles.values()].some((r) => r.leaders.length === 1 && r.leaders[0] === victim);
    }, 60_000);
  }, 240_000);

  it('leaves nothing behind, and removes what a dead run left', async () => {
    await chaos!.dispose();
    chaos = undefined;
    expect(network.remains()).toEqual([]);

    // A run that died without cleaning up: its pid is gone, its namespace and bridge remain.
    const dead = spawnSync('true').pid;
    const token = `zc${dead}z`;
    execFileSync('ip', ['netns', 'add', `${token}-n0`]);
    execFileSync('ip', ['link', 'add', `${token}br`, 'type', 'bridge']);
    const removed = removeLeftovers();
    expect(removed).toEqual(expect.arrayContaining([`${token}-n0`, `${token}br`]));
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(token);
    expect(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })).not.toContain(token);
  });
}

if (probe === true) {
  describeWithEtcd(NAME, body);
} else if (process.env.CI && asRoot) {
  describe(NAME, () => {
    it('needs network namespaces', () => {
      throw new Error(`running as root, but network namespaces could not be made (${probe}); CI must run this suite`);
    });
  });
} else {
  // Skipped on purpose: the reason is in the name; as root under CI=true this is a failure instead.
  describe.skip(`${NAME} (skipped: network namespaces are not usable here: ${probe})`, body);
}
