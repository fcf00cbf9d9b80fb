import type { Logger } from 'pino';
import type { CommandResponse, EngineCommand } from '../engine/processing/types.js';
import type { BatchOperationItemValue } from '../engine/records.js';
import type { BatchOperationRow, BatchOperationState } from '../engine/state/batch-operations.js';

/** Items of one batch run at once: each is a command to a partition and a report back to partition 1. */
export const BATCH_ITEMS_IN_FLIGHT = 8;
/** How often the driver looks for work when it has none. */
const IDLE_INTERVAL_MS = 200;

export interface BatchOperationDriverOptions {
  readonly batches: BatchOperationState;
  /** Runs one item's command (through the node); throws with the reason when it was rejected. */
  readonly runItem: (batch: BatchOperationRow, itemKey: bigint) => Promise<void>;
  /** Writes a command to partition 1 (this partition). */
  readonly submit: (command: Omit<EngineCommand, 'requestId'>) => Promise<CommandResponse>;
  readonly logger: Logger;
}

/**
 * Partition 1's leader runs the batch operations kept in its state: the pending items of each
 * ACTIVE batch, a few at a time, each reported with COMPLETE_ITEM or FAIL_ITEM. What it runs
 * is read from the state, so a new leader goes on where the old one stopped; an item that ran
 * but whose report was lost runs again (its command is then rejected, and the item FAILED).
 */
export class BatchOperationDriver {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly inFlight = new Set<string>();

  constructor(private readonly options: BatchOperationDriverOptions) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, delayMs);
    this.timer.unref?.();
  }

  private tick(): void {
    if (this.stopped) return;
    for (const batch of this.options.batches.running()) {
      if (batch.state !== 'ACTIVE') continue;
      const running = [...this.inFlight].filter((id) => id.startsWith(`${batch.key}/`)).length;
      if (running >= BATCH_ITEMS_IN_FLIGHT) continue;
      const candidates = this.options.batches.pending(batch.key, BATCH_ITEMS_IN_FLIGHT * 2);
      let started = running;
      for (const itemKey of candidates) {
        if (started >= BATCH_ITEMS_IN_FLIGHT) break;
        const id = `${batch.key}/${itemKey}`;
        if (this.inFlight.has(id)) continue;
        this.inFlight.add(id);
        started++;
        void this.run(batch, itemKey).finally(() => {
          this.inFlight.delete(id);
          this.schedule(0);
        });
      }
    }
    this.schedule(IDLE_INTERVAL_MS);
  }

  private async run(batch: BatchOperationRow, itemKey: bigint): Promise<void> {
    let errorMessage = '';
    try {
      await this.options.runItem(batch, itemKey);
    } catch (err) {
      if (this.stopped) return;
      errorMessage = (err as Error).message || String(err);
      if (isTransient(err)) {
        // Not the item's fault (a partition without a leader, backpressure): it is tried again.
        this.options.logger.debug({ err, batchOperationKey: batch.key, itemKey }, 'batch operation item will be retried');
        await new Promise((resolve) => setTimeout(resolve, 500).unref?.());
        return;
      }
    }
    if (this.stopped) return;
    const value: Omit<BatchOperationItemValue, 'batchOperationType'> = { itemKey, errorMessage };
    try {
      const response = await this.options.submit({
        valueType: 'BATCH_OPERATION',
        intent: errorMessage ? 'FAIL_ITEM' : 'COMPLETE_ITEM',
        key: batch.key,
        value,
      });
      if (!response.ok && response.rejectionType !== 'NOT_FOUND' && response.rejectionType !== 'INVALID_STATE') {
        this.options.logger.warn({ batchOperationKey: batch.key, itemKey, reason: response.reason }, 'batch operation item report was rejected');
      }
    } catch (err) {
      if (!this.stopped) this.options.logger.debug({ err, batchOperationKey: batch.key, itemKey }, 'batch operation item report did not reach the log');
    }
  }
}

function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'UNAVAILABLE' || code === 'RESOURCE_EXHAUSTED' || code === 'DEADLINE_EXCEEDED';
}
