/**
 * How full one etcd cluster is, read from each member: the database file's size (what etcd
 * checks against its quota), the part of it in use, and the quota (`--quota-backend-bytes`).
 * The sizes come every second from the member's status (`/v3/maintenance/status`, a few hundred
 * bytes); the quota, which only changes with a restart, from its metrics page once a minute —
 * that page is ~150 KB, and every node reading it from every member each second cost the idle
 * cluster a tenth of a core, etcd's part of it rendering the page. etcd refuses every write,
 * cluster-wide, once one member's file reaches the quota (the NOSPACE alarm) and an operator
 * must disarm it: Zen refuses new work well before that, and keeps going once space is back
 * (see space-keeper.ts).
 *
 * The file never shrinks by itself — compaction frees pages inside it, defragmentation gives
 * them back — so the pressure is judged on the file size, as etcd judges it.
 */
import type { Logger } from 'pino';
import { monotonicNow } from '../../elapsed.js';
import { memberRequest } from './member-http.js';

export interface MemberSpace {
  readonly endpoint: string;
  readonly dbBytes: number;
  readonly inUseBytes: number;
  readonly quotaBytes: number;
  /** The raft leader: defragmenting it stalls every write (and lease renewal) meanwhile. */
  readonly isLeader: boolean;
}

/** `soft`: refuse new work; `hard`: refuse every client command. */
export type SpacePressure = 'ok' | 'soft' | 'hard';

export interface SpaceMonitorOptions {
  readonly endpoints: readonly string[];
  readonly logger: Logger;
  /** When no member reports its quota: etcd's default, 2 GiB. */
  readonly fallbackQuotaBytes?: number;
  readonly intervalMs?: number;
  /** Fraction of the quota at which new work is refused (default 0.7). */
  readonly softFraction?: number;
  /** Fraction of the quota at which every client command is refused (default 0.85). */
  readonly hardFraction?: number;
}

export const ETCD_DEFAULT_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;
const DEFAULT_INTERVAL_MS = 1000;
const FETCH_TIMEOUT_MS = 1500;
/** How long a member's quota (from its metrics page) is taken as known. */
const QUOTA_REFRESH_MS = 60_000;

/** The sizes and leadership from a member's `/v3/maintenance/status` answer (JSON), or null. */
export function parseStatus(body: unknown): { dbBytes: number; inUseBytes: number; isLeader: boolean } | null {
  if (typeof body !== 'object' || body === null) return null;
  const status = body as { dbSize?: unknown; dbSizeInUse?: unknown; leader?: unknown; header?: { member_id?: unknown } };
  const dbBytes = Number(status.dbSize);
  if (status.dbSize === undefined || !Number.isFinite(dbBytes)) return null;
  const inUse = Number(status.dbSizeInUse);
  const member = status.header?.member_id;
  return {
    dbBytes,
    inUseBytes: status.dbSizeInUse !== undefined && Number.isFinite(inUse) ? inUse : dbBytes,
    isLeader: member !== undefined && String(status.leader) === String(member),
  };
}

/** The three figures from a member's Prometheus text, or null when one is missing. */
export function parseSpaceMetrics(text: string): Omit<MemberSpace, 'endpoint'> | null {
  // etcd's metrics page is ~100 KB, read every second by every node: find the lines, do not split it.
  const value = (name: string) => {
    const at = text.startsWith(`${name} `) ? 0 : text.indexOf(`\n${name} `) + 1;
    if (at === 0 && !text.startsWith(`${name} `)) return null;
    const start = at + name.length + 1;
    const end = text.indexOf('\n', start);
    return Number(text.slice(start, end === -1 ? undefined : end));
  };
  const dbBytes = value('etcd_mvcc_db_total_size_in_bytes');
  const inUseBytes = value('etcd_mvcc_db_total_size_in_use_in_bytes');
  const quotaBytes = value('etcd_server_quota_backend_bytes');
  if (dbBytes === null || quotaBytes === null) return null;
  return { dbBytes, inUseBytes: inUseBytes ?? dbBytes, quotaBytes, isLeader: value('etcd_server_is_leader') === 1 };
}

export class EtcdSpaceMonitor {
  private readonly latest = new Map<string, MemberSpace>();
  /** Per member: the quota its metrics page gave, and when it was read. */
  private readonly quotas = new Map<string, { bytes: number; readAt: number }>();
  private timer: NodeJS.Timeout | null = null;
  private warned = false;

  constructor(private readonly options: SpaceMonitorOptions) {}

  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The last figures of every member that answered at least once. */
  get members(): MemberSpace[] {
    return [...this.latest.values()];
  }

  /** The smallest quota a member reports: the first member to reach it stops the cluster. */
  get quotaBytes(): number {
    let quota = Infinity;
    for (const m of this.latest.values()) quota = Math.min(quota, m.quotaBytes);
    return Number.isFinite(quota) ? quota : (this.options.fallbackQuotaBytes ?? ETCD_DEFAULT_QUOTA_BYTES);
  }

  /** The largest database file of any member. */
  get maxDbBytes(): number {
    let max = 0;
    for (const m of this.latest.values()) max = Math.max(max, m.dbBytes);
    return max;
  }

  get pressure(): SpacePressure {
    const used = this.maxDbBytes / this.quotaBytes;
    if (used >= (this.options.hardFraction ?? 0.85)) return 'hard';
    if (used >= (this.options.softFraction ?? 0.7)) return 'soft';
    return 'ok';
  }

  /**
   * Why a client command must be refused now, or null. Commands that finish work (`finishing`)
   * are still taken under soft pressure: they are what lets the load drain.
   */
  refusal(finishing: boolean): string | null {
    const pressure = this.pressure;
    if (pressure === 'ok' || (pressure === 'soft' && finishing)) return null;
    const mib = (n: number) => (n / 2 ** 20).toFixed(1);
    return `etcd is near its space quota (${mib(this.maxDbBytes)} of ${mib(this.quotaBytes)} MiB); ${pressure === 'hard' ? 'no commands are' : 'no new work is'} taken until space is reclaimed`;
  }

  /** Reads every member's figures now (also what the timer does). */
  async poll(): Promise<void> {
    await Promise.all(
      this.options.endpoints.map(async (endpoint) => {
        const base = endpoint.replace(/\/+$/, '');
        try {
          const figures = await this.read(base);
          if (figures) this.latest.set(endpoint, { endpoint, ...figures });
        } catch (err) {
          // A member that is down does not grow; its last figures stand.
          if (!this.warned) this.options.logger.debug({ err, endpoint }, 'could not read etcd space figures');
          this.warned = true;
        }
      }),
    );
  }

  /** The member's status, with the quota from its metrics when not read in the last minute; the metrics alone when it has no status endpoint. */
  private async read(base: string): Promise<Omit<MemberSpace, 'endpoint'> | null> {
    const response = await memberRequest(`${base}/v3/maintenance/status`, FETCH_TIMEOUT_MS, '{}');
    const status = response.status >= 200 && response.status < 300 ? parseStatus(parseJson(response.text)) : null;
    const known = this.quotas.get(base);
    if (status && known && monotonicNow() - known.readAt < QUOTA_REFRESH_MS) return { ...status, quotaBytes: known.bytes };
    let parsed: Omit<MemberSpace, 'endpoint'> | null;
    try {
      parsed = parseSpaceMetrics((await memberRequest(`${base}/metrics`, FETCH_TIMEOUT_MS)).text);
    } catch (err) {
      // The sizes are what moves: with a quota read before, they still count.
      if (status && known) return { ...status, quotaBytes: known.bytes };
      throw err;
    }
    if (!parsed) return status && known ? { ...status, quotaBytes: known.bytes } : null;
    this.quotas.set(base, { bytes: parsed.quotaBytes, readAt: monotonicNow() });
    return status ? { ...status, quotaBytes: parsed.quotaBytes } : parsed;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
