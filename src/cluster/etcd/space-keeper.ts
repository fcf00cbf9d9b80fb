/**
 * Keeps one etcd cluster clear of its space quota, as an operator would by hand: the
 * controller runs it for every etcd cluster the Zen cluster uses.
 *
 * - Defragmentation: compaction (of history, and of partition logs) frees pages inside a
 *   member's database file but never shrinks the file, and etcd judges its quota on the file.
 *   A member whose file is large and mostly free is defragmented, one member per round, so the
 *   others keep serving meanwhile.
 * - The NOSPACE alarm: if it was raised anyway (by a write larger than the margin, or an etcd
 *   shared with others), it is disarmed once every member has room again — with the alarm on,
 *   etcd refuses every write until someone does.
 */
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { withTimeout } from './client.js';
import type { EtcdSpaceMonitor, MemberSpace } from './space-monitor.js';
import { monotonicNow } from '../../elapsed.js';

export interface SpaceKeeperOptions {
  readonly etcd: Etcd3;
  readonly monitor: EtcdSpaceMonitor;
  readonly logger: Logger;
  /** A client talking to exactly one member (defragmentation is per member). */
  readonly memberClient: (endpoint: string) => Etcd3;
  readonly callTimeoutMs?: number;
}

/** Files below this fraction of the quota are left alone. */
const DEFRAG_MIN_FILL = 0.3;
/** A file at least this fraction free is worth defragmenting. */
const DEFRAG_MIN_FREE = 0.4;
/** Under pressure (the soft threshold), a smaller free part is worth it too. */
const DEFRAG_URGENT_FREE = 0.15;
/** The NOSPACE alarm is disarmed once every member's file is below this fraction of the quota. */
const DISARM_BELOW = 0.6;
/** Defragmentation blocks a member for a while; its deadline is generous. */
const DEFRAG_TIMEOUT_MS = 60_000;
/** Between two defragmentations: wide while there is room, none when etcd is close to refusing writes. */
const DEFRAG_SPACING_MS = { ok: 10_000, soft: 2_000, hard: 0 } as const;

export function shouldDefragment(member: MemberSpace, quotaBytes: number, underPressure: boolean): boolean {
  if (member.dbBytes < quotaBytes * DEFRAG_MIN_FILL && !underPressure) return false;
  const free = 1 - member.inUseBytes / Math.max(1, member.dbBytes);
  return free >= (underPressure ? DEFRAG_URGENT_FREE : DEFRAG_MIN_FREE);
}

export class EtcdSpaceKeeper {
  private running = false;
  private lastDefrag = -Infinity;

  constructor(private readonly options: SpaceKeeperOptions) {}

  /** One round: fresh figures, at most one defragmentation, the alarm. Rounds never overlap. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const { monitor, logger } = this.options;
      await monitor.poll();
      const quota = monitor.quotaBytes;
      const pressure = monitor.pressure;
      const spaced = monotonicNow() - this.lastDefrag >= DEFRAG_SPACING_MS[pressure];
      // Followers first, the most to gain first: defragmenting the raft leader stalls every
      // write, lease renewals included, while it runs.
      const candidate = monitor.members
        .filter((m) => shouldDefragment(m, quota, pressure !== 'ok'))
        .sort((a, b) => Number(a.isLeader) - Number(b.isLeader) || b.dbBytes - b.inUseBytes - (a.dbBytes - a.inUseBytes))[0];
      if (candidate && spaced) {
        this.lastDefrag = monotonicNow();
        await this.defragment(candidate);
      }
      await this.disarmIfRoom(quota);
    } catch (err) {
      this.options.logger.warn({ err }, 'etcd space upkeep failed');
    } finally {
      this.running = false;
    }
  }

  private async defragment(member: MemberSpace): Promise<void> {
    const client = this.options.memberClient(member.endpoint);
    const started = monotonicNow();
    try {
      await withTimeout(client.maintenance.defragment({ deadline: Date.now() + DEFRAG_TIMEOUT_MS }), DEFRAG_TIMEOUT_MS, 'etcd defragmentation');
    } finally {
      client.close();
    }
    await this.options.monitor.poll();
    const after = this.options.monitor.members.find((m) => m.endpoint === member.endpoint);
    this.options.logger.info(
      { endpoint: member.endpoint, beforeBytes: member.dbBytes, afterBytes: after?.dbBytes, ms: Math.round(monotonicNow() - started) },
      'defragmented an etcd member',
    );
  }

  private async disarmIfRoom(quota: number): Promise<void> {
    const timeout = this.options.callTimeoutMs ?? 3000;
    const { etcd, monitor, logger } = this.options;
    const alarms = await withTimeout(etcd.maintenance.alarm({ action: 'Get', memberID: 0, alarm: 'None' }), timeout, 'etcd alarm list');
    const nospace = (alarms.alarms ?? []).filter((a) => String(a.alarm) === 'Nospace' || String(a.alarm) === '1');
    if (nospace.length === 0) return;
    const fullest = monitor.maxDbBytes;
    if (fullest >= quota * DISARM_BELOW) {
      logger.warn({ fullest, quota }, 'etcd raised its NOSPACE alarm; it is disarmed once space is reclaimed');
      return;
    }
    for (const alarm of nospace) {
      await withTimeout(etcd.maintenance.alarm({ action: 'Deactivate', memberID: alarm.memberID, alarm: 'Nospace' }), timeout, 'etcd alarm disarm');
    }
    logger.warn({ members: nospace.map((a) => String(a.memberID)), fullest, quota }, 'disarmed etcd NOSPACE alarm: space was reclaimed');
  }
}
