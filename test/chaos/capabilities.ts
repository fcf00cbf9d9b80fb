/**
 * Which fault kinds this machine allows, found out at run time. Signals, etcd restarts, the
 * proxies that make partitions and the engine clock need nothing special; a full disk needs a
 * tmpfs mount (root, or a container with CAP_SYS_ADMIN). Partitions use TCP proxies on every
 * machine (ADR 018 says why not network namespaces), so a run means the same thing everywhere.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_KINDS, type FaultKind } from './schedule.js';

export interface Capabilities {
  readonly kinds: FaultKind[];
  /** Kind → why it is not available. */
  readonly missing: Record<string, string>;
}

export function detectCapabilities(): Capabilities {
  const missing: Record<string, string> = {};
  const tmpfs = canMountTmpfs();
  if (tmpfs !== true) missing['disk-full'] = `cannot mount a tmpfs: ${tmpfs}`;
  return { kinds: FAULT_KINDS.filter((k) => !(k in missing)), missing };
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
