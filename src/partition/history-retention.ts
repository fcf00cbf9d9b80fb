import type { Logger } from 'pino';
import type { CommandResponse } from '../engine/processing/types.js';
import type { HistoryCleanupValue } from '../engine/records.js';

/** How often the leader looks for history past its retention. */
export const HISTORY_CLEANUP_INTERVAL_MS = 60_000;
/**
 * Instances one cleanup deletes, with all their rows, inside the transaction of one log entry
 * on every replica: about 4 ms of the storage worker for one-task instances (bench:history),
 * so appends behind it hardly wait, and bounded for instances with many more rows.
 */
export const HISTORY_CLEANUP_LIMIT = 200;
/** Rounds in a row before waiting for the next interval, should the history not shrink (a bug). */
const MAX_ROUNDS_IN_A_ROW = 1000;

export interface HistoryRetentionOptions {
  /** How long after an instance ended its history goes (ms); a function is read at every look, 0 skipping it. */
  readonly retentionMs: number | (() => number);
  readonly intervalMs?: number;
  readonly limit?: number;
  /** The engine's clock: the system's, or the one pinned by CLOCK PIN. */
  readonly clock: () => number;
  /** Writes HISTORY CLEAN_UP through the partition; resolves once its entry is durable (and projected here). */
  readonly submit: (value: HistoryCleanupValue) => Promise<CommandResponse>;
  /** Whether this replica's history still holds an instance that ended, or a standalone decision evaluated, before the cutoff; null: it keeps none. */
  readonly expired: (cutoff: number) => Promise<boolean | null>;
  readonly logger: Logger;
}

/**
 * The leader's side of history retention (ADR 010): it reads the clock and writes the cutoff
 * into the log; the projection of every replica deletes at that entry. A round is written
 * only when the leader's own history has something to delete, and again at once while some is
 * left (a round hit its limit).
 */
export class HistoryRetention {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: HistoryRetentionOptions) {}

  /** The first look is at once: a new leader may take over a backlog. */
  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref?.();
  }

  private async run(): Promise<void> {
    this.timer = null;
    const { options } = this;
    try {
      const retentionMs = typeof options.retentionMs === 'function' ? options.retentionMs() : options.retentionMs;
      const cutoff = options.clock() - retentionMs;
      for (let round = 0; retentionMs > 0 && cutoff > 0 && round < MAX_ROUNDS_IN_A_ROW && !this.stopped; round++) {
        // No history here (--history false): nothing to judge by, nothing to clean up.
        if ((await options.expired(cutoff)) !== true || this.stopped) break;
        const response = await options.submit({ cutoff, limit: options.limit ?? HISTORY_CLEANUP_LIMIT });
        if (!response.ok) {
          options.logger.warn({ rejectionType: response.rejectionType, reason: response.reason }, 'history cleanup was rejected');
          break;
        }
      }
    } catch (err) {
      // Shutting down, leadership lost, backpressure: the next interval tries again.
      if (!this.stopped) options.logger.debug({ err }, 'history cleanup round did not complete');
    }
    this.schedule(options.intervalMs ?? HISTORY_CLEANUP_INTERVAL_MS);
  }
}
