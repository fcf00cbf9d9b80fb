import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import { NO_KEY, type HistoryCleanupValue } from '../../records.js';

/** More instances than this in one entry would stall every replica's storage worker on it. */
export const MAX_HISTORY_CLEANUP_LIMIT = 10_000;

/**
 * HISTORY CLEAN_UP: only the event. The deleting is the history projection's (it reads the
 * event's cutoff and limit), so it happens at this log index on every replica; the engine's
 * state holds no history and does not change.
 */
export function historyCleanUp(ctx: ProcessingContext, command: EngineCommand): void {
  const { cutoff, limit } = command.value as HistoryCleanupValue;
  if (!Number.isSafeInteger(cutoff) || cutoff < 0) {
    ctx.reject('INVALID_ARGUMENT', `Expected the history cleanup cutoff to be a time in epoch milliseconds, but it was ${String(cutoff)}`);
    return;
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_CLEANUP_LIMIT) {
    ctx.reject('INVALID_ARGUMENT', `Expected the history cleanup limit to be from 1 to ${MAX_HISTORY_CLEANUP_LIMIT}, but it was ${String(limit)}`);
    return;
  }
  const value: HistoryCleanupValue = { cutoff, limit };
  ctx.event('HISTORY', 'CLEANED_UP', NO_KEY, value);
  ctx.respond(NO_KEY, value);
}
