/**
 * What this machine allows, found out at run time. Signals, etcd restarts and the engine clock
 * need nothing special; a full disk needs a tmpfs mount (root, or a container with
 * CAP_SYS_ADMIN); a node's own wall clock jumps through libfaketime (Debian's `faketime`),
 * where the library is there and a preloaded child process sees its clock jump
 * (`ZEN_CHAOS_FAKETIME=0` turns that off). Partitions are two-way where network namespaces
 * can be made (root and iproute2: each node in its own namespace behind a veth), and one-way
 * through TCP proxies elsewhere (ADR 018 says why both). `ZEN_CHAOS_NETNS=0` forces the
 * proxies, to compare.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeNamespaces } from './namespace-network.js';
import { probeFaketime } from './node-clock.js';
import { FAULT_KINDS, type FaultKind } from './schedule.js';

export type PartitionMethod = 'netns' | 'proxies';

export interface Capabilities {
  readonly kinds: FaultKind[];
  /** Kind → why it is not available. */
  readonly missing: Record<string, string>;
  readonly partitions: PartitionMethod;
  /** Why the proxies were used (absent with namespaces). */
  readonly partitionsWhy?: string;
  /** The libfaketime every node is preloaded with, when node clocks can jump (else null). */
  readonly faketime: string | null;
}

export function detectCapabilities(): Capabilities {
  const missing: Record<string, string> = {};
  const tmpfs = canMountTmpfs();
  if (tmpfs !== true) missing['disk-full'] = `cannot mount a tmpfs: ${tmpfs}`;
  const clock = probeFaketime();
  if (typeof clock === 'string') missing['node-clock-jump'] = `cannot jump a node's wall clock: ${clock}`;
  const faketime = typeof clock === 'string' ? null : clock.library;
  const kinds = FAULT_KINDS.filter((k) => !(k in missing));
  const namespaces = namespacesUsable();
  return namespaces === true ? { kinds, missing, partitions: 'netns', faketime } : { kinds, missing, partitions: 'proxies', partitionsWhy: namespaces, faketime };
}

/** true, or why not: forced off by ZEN_CHAOS_NETNS=0, not root, or the probe failed. */
export function namespacesUsable(): true | string {
  if (process.env.ZEN_CHAOS_NETNS === '0') return 'ZEN_CHAOS_NETNS=0';
  return probeNamespaces();
}

/** How the report names the partition method. */
export function describePartitions(capabilities: Capabilities): string {
  return capabilities.partitions === 'netns' ? 'netns, two-way' : `proxies, one-way (${capabilities.partitionsWhy ?? 'no namespaces'})`;
}

function canMountTmpfs(): true | string {
  if (process.platform !== 'linux') return `platform ${process.platform}`;
  const dir = mkdtempSync(join(tmpdir(), 'zen-chaos-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return true;
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim().split('\n')[0]!.slice(0, 160);
  } finally {
    rmdirSync(dir);
  }
}
