/**
 * Real etcd members on loopback for cluster tests (Debian's etcd-server, installed by
 * .ci/run). Each member gets free ports and a temporary data directory; members can be
 * killed and restarted to inject faults.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRequiring } from './requires.js';

/** Every etcd this test process started: killed when it exits, however the test ended. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

export function etcdAvailable(): boolean {
  return spawnSync('etcd', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** A suite on real etcd (Debian's etcd-server, which .ci/run installs). */
export function describeWithEtcd(name: string, body: () => void): void {
  describeRequiring(etcdAvailable(), 'etcd (Debian package etcd-server)', name, body);
}

// The kernel may hand a just-closed port out again; one test file must never get the same port twice.
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

interface Member {
  readonly name: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  process: ChildProcess | null;
  output: string;
}

export class EtcdCluster {
  private constructor(
    private readonly members: Member[],
    private readonly root: string,
    private readonly extraArgs: readonly string[],
    private readonly extraClientHosts: readonly string[],
  ) {}

  /**
   * `extraArgs`: further etcd flags for every member (e.g. `--quota-backend-bytes`).
   * `extraClientHosts`: addresses the client port listens on besides 127.0.0.1 (e.g. a bridge
   * that nodes in network namespaces reach the members through), same port.
   */
  static async start(size = 1, extraArgs: readonly string[] = [], extraClientHosts: readonly string[] = []): Promise<EtcdCluster> {
    const root = mkdtempSync(join(tmpdir(), 'zen-etcd-'));
    const members: Member[] = [];
    for (let i = 0; i < size; i++) {
      members.push({ name: `etcd${i}`, clientPort: await freePort(), peerPort: await freePort(), dataDir: join(root, `etcd${i}`), process: null, output: '' });
    }
    const cluster = new EtcdCluster(members, root, extraArgs, extraClientHosts);
    for (const member of members) cluster.launch(member);
    try {
      await cluster.waitHealthy();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Client URLs, for --etcd-endpoints. */
  get endpoints(): string[] {
    return this.members.map((m) => `http://127.0.0.1:${m.clientPort}`);
  }

  memberEndpoint(index: number): string {
    return `http://127.0.0.1:${this.members[index]!.clientPort}`;
  }

  private launch(member: Member): void {
    const initialCluster = this.members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
    const child = spawn(
      'etcd',
      [
        '--name', member.name,
        '--data-dir', member.dataDir,
        '--listen-client-urls', ['127.0.0.1', ...this.extraClientHosts].map((host) => `http://${host}:${member.clientPort}`).join(','),
        '--advertise-client-urls', `http://127.0.0.1:${member.clientPort}`,
        '--listen-peer-urls', `http://127.0.0.1:${member.peerPort}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${member.peerPort}`,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', 'zen-test',
        '--auto-compaction-mode', 'revision',
        '--auto-compaction-retention', '1000',
        '--heartbeat-interval', '50',
        '--election-timeout', '500',
        '--logger', 'zap',
        '--log-level', 'error',
        ...this.extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      member.output = (member.output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    started.add(child);
    child.on('exit', () => {
      started.delete(child);
      if (member.process === child) member.process = null;
    });
    member.process = child;
  }

  async waitHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = this.members.filter((m) => m.process);
      const healthy = await Promise.all(
        running.map(async (m) => {
          try {
            const res = await fetch(`http://127.0.0.1:${m.clientPort}/health`);
            return res.ok && ((await res.json()) as { health: string }).health === 'true';
          } catch {
            return false;
          }
        }),
      );
      if (healthy.length > 0 && healthy.every(Boolean)) return;
      if (Date.now() > deadline) {
        throw new Error(`etcd did not become healthy:\n${this.members.map((m) => `${m.name}: ${m.output.slice(-2000)}`).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill9(index: number): void {
    this.members[index]!.process?.kill('SIGKILL');
  }

  /** SIGSTOP of a member: it keeps its sockets but answers nothing (a long pause, a frozen VM). */
  freeze(index: number): void {
    this.members[index]!.process?.kill('SIGSTOP');
  }

  thaw(index: number): void {
    this.members[index]!.process?.kill('SIGCONT');
  }

  /** Whether member `index` has a process (frozen counts as running). */
  isRunning(index: number): boolean {
    return this.members[index]!.process !== null;
  }

  get size(): number {
    return this.members.length;
  }

  /** Client URLs at another address the members listen on (one of `extraClientHosts`). */
  endpointsAt(host: string): string[] {
    if (!this.extraClientHosts.includes(host)) throw new Error(`etcd does not listen on ${host}`);
    return this.members.map((m) => `http://${host}:${m.clientPort}`);
  }

  /** The member's client port, which a restart keeps. */
  clientPortOf(index: number): number {
    return this.members[index]!.clientPort;
  }

  async restart(index: number): Promise<void> {
    const member = this.members[index]!;
    if (member.process) return;
    // A restarted member rejoins with its data directory; --initial-cluster-state is ignored then.
    this.launch(member);
    await this.waitHealthy();
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.members.map(
        (m) =>
          new Promise<void>((resolve) => {
            if (!m.process) return resolve();
            m.process.once('exit', () => resolve());
            m.process.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.root, { recursive: true, force: true });
  }
}
