/**
 * A private network of Linux network namespaces for a chaos run: one namespace per node
 * (`zc<token>-n<id>`), each joined by a veth pair to one bridge in the root namespace, on a
 * /24 of 10.213.0.0/16 of its own. The bridge holds .1 (etcd listens there too), node `id`
 * holds .(10 + id). Taking a node's root-side veth down cuts it off both ways — from its
 * peers, from etcd and from the test's clients — where TCP proxies only cut what flows to it.
 *
 * Every name starts with `zc<pid><letter>`: the pid is the process that made it, so a run that
 * crashed before it cleaned up is found and removed by the next one (`removeLeftovers`).
 * Needs root and iproute2; `probeNamespaces` says whether this machine allows it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SUBNET_PREFIX = '10.213';
const NAME = /^zc(\d+)[a-z]/;

/** Networks this process made and has not disposed: removed on exit, however the run ended. */
const live = new Set<NamespaceNetwork>();
process.once('exit', () => {
  for (const network of live) network.disposeSync();
});

let madeInThisProcess = 0;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function quietly(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // already gone
  }
}

function firstLine(err: unknown): string {
  const stderr = (err as { stderr?: Buffer | string }).stderr;
  const text = stderr && String(stderr).trim() ? String(stderr) : (err as Error).message;
  return text.trim().split('\n')[0]!.slice(0, 160);
}

/** true when namespaces, veth pairs and bridges can be made here (made and removed at once), else why not. */
export function probeNamespaces(): true | string {
  if (process.platform !== 'linux') return `platform ${process.platform}`;
  if (process.getuid?.() !== 0) return 'not running as root';
  removeLeftovers();
  const token = `zc${process.pid}${letterFor(madeInThisProcess++)}`;
  const ns = `${token}-probe`;
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', `${token}br`, 'type', 'bridge');
    ip('link', 'add', `${token}v`, 'type', 'veth', 'peer', 'name', `${token}p`);
    ip('link', 'set', `${token}p`, 'netns', ns);
    ip('link', 'set', `${token}v`, 'master', `${token}br`);
    return true;
  } catch (err) {
    return firstLine(err);
  } finally {
    quietly(() => ip('link', 'del', `${token}v`));
    quietly(() => ip('link', 'del', `${token}br`));
    quietly(() => ip('netns', 'del', ns));
  }
}

/** Removes namespaces and links of earlier runs whose process is gone. */
export function removeLeftovers(): string[] {
  const removed: string[] = [];
  const orphaned = (name: string) => {
    const pid = NAME.exec(name)?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !existsSync(`/proc/${pid}`);
  };
  let namespaces: string[] = [];
  let links: string[] = [];
  try {
    namespaces = ip('netns', 'list').split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
    // `ip -o link` names look like "12: zc123an0@if11: <...>": the name ends at '@' or ':'.
    links = ip('-o', 'link', 'show').split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter(Boolean);
  } catch {
    return removed;
  }
  // Deleting a namespace deletes the veth ends inside it and with them their root-side peers.
  for (const ns of namespaces.filter(orphaned)) {
    quietly(() => ip('netns', 'del', ns));
    removed.push(ns);
  }
  for (const link of links.filter(orphaned)) {
    quietly(() => ip('link', 'del', link));
    removed.push(link);
  }
  return removed;
}

function letterFor(n: number): string {
  return String.fromCharCode(97 + (n % 26));
}

/** A /24 third octet no interface of this machine uses, starting from one derived from the token. */
function freeSubnet(seed: number): number {
  const used = new Set<number>();
  for (const match of ip('-o', '-4', 'addr', 'show').matchAll(/inet 10\.213\.(\d+)\./g)) used.add(Number(match[1]));
  for (let i = 0; i < 254; i++) {
    const x = ((seed + i) % 254) + 1;
    if (!used.has(x)) return x;
  }
  throw new Error(`no free /24 left in ${SUBNET_PREFIX}.0.0/16`);
}

export class NamespaceNetwork {
  private readonly cutNodes = new Set<number>();
  private disposed = false;

  private constructor(
    /** `zc<pid><letter>`: the prefix of every name this network made. */
    readonly token: string,
    readonly subnet: number,
    readonly nodeIds: readonly number[],
  ) {}

  /** Makes the bridge and one namespace per node (lo and its veth up); leftovers of dead runs are removed first. */
  static create(nodeIds: readonly number[]): NamespaceNetwork {
    removeLeftovers();
    const token = `zc${process.pid}${letterFor(madeInThisProcess++)}`;
    const network = new NamespaceNetwork(token, freeSubnet(process.pid * 31 + madeInThisProcess), nodeIds);
    live.add(network);
    try {
      ip('link', 'add', network.bridge, 'type', 'bridge');
      ip('addr', 'add', `${network.gateway}/24`, 'dev', network.bridge);
      ip('link', 'set', network.bridge, 'up');
      for (const id of nodeIds) {
        const ns = network.namespaceOf(id);
        const outside = network.outsideLink(id);
        const inside = `${outside}p`;
        ip('netns', 'add', ns);
        ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
        ip('link', 'set', inside, 'netns', ns);
        ip('link', 'set', outside, 'master', network.bridge);
        ip('link', 'set', outside, 'up');
        ip('-n', ns, 'addr', 'add', `${network.addressOf(id)}/24`, 'dev', inside);
        ip('-n', ns, 'link', 'set', inside, 'up');
        ip('-n', ns, 'link', 'set', 'lo', 'up');
      }
    } catch (err) {
      network.disposeSync();
      throw new Error(`could not build the namespace network ${token}: ${firstLine(err)}`);
    }
    return network;
  }

  get bridge(): string {
    return `${this.token}br`;
  }

  /** The bridge's address in the root namespace, where etcd listens for the nodes. */
  get gateway(): string {
    return `${SUBNET_PREFIX}.${this.subnet}.1`;
  }

  namespaceOf(nodeId: number): string {
    return `${this.token}-n${nodeId}`;
  }

  addressOf(nodeId: number): string {
    return `${SUBNET_PREFIX}.${this.subnet}.${10 + nodeId}`;
  }

  /** The command that runs a program in the node's namespace; it execs in place, so the pid is the program's. */
  launcher(nodeId: number): string[] {
    return ['ip', 'netns', 'exec', this.namespaceOf(nodeId)];
  }

  isCut(nodeId: number): boolean {
    return this.cutNodes.has(nodeId);
  }

  /** Takes the node's root-side veth down: nothing flows to or from its namespace (silence, no reset). */
  cut(nodeId: number): void {
    ip('link', 'set', this.outsideLink(nodeId), 'down');
    this.cutNodes.add(nodeId);
  }

  heal(nodeId: number): void {
    ip('link', 'set', this.outsideLink(nodeId), 'up');
    this.cutNodes.delete(nodeId);
  }

  /** Removes every namespace (with its veth pair) and the bridge; idempotent. */
  disposeSync(): void {
    if (this.disposed) return;
    this.disposed = true;
    live.delete(this);
    for (const id of this.nodeIds) {
      quietly(() => ip('link', 'del', this.outsideLink(id)));
      quietly(() => ip('netns', 'del', this.namespaceOf(id)));
    }
    quietly(() => ip('link', 'del', this.bridge));
  }

  /** Names of this network's namespaces and links that still exist (for tests of cleanup). */
  remains(): string[] {
    const namespaces = ip('netns', 'list').split('\n').map((l) => l.split(' ')[0]!);
    const links = ip('-o', 'link', 'show').split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '');
    return [...namespaces, ...links].filter((name) => name.startsWith(this.token));
  }

  private outsideLink(nodeId: number): string {
    return `${this.token}n${nodeId}`;
  }
}
