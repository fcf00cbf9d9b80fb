import type { EngineCommand } from '../engine/processing/types.js';
import { dueCommands, nextDueTime } from '../engine/queries.js';
import type { EngineState } from '../engine/state/engine-state.js';

/** How often at most the scheduler wakes up when everything due is already queued. */
const IDLE_RETRY_MS = 50;
const MAX_COMMANDS_PER_WAKEUP = 1000;
/** A due command that failed with a processing error is not retried before this. */
const FAILED_RETRY_MS = 10_000;
/** The longest delay setTimeout honours. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Turns time into commands: arms one timer for the earliest due item (timer, job deadline,
 * retry back-off, message TTL) and, when it fires, queues a command for each due item with
 * the current time. The engine decides what the command means; an obsolete one is discarded.
 */
export class DueScheduler {
  private timer: NodeJS.Timeout | null = null;
  private armedFor: number | null = null;
  /** The pinned clock the timer was armed under (null: the system clock). */
  private armedUnder: number | null = null;
  /** Keys whose command is queued but not processed yet, so one item is queued once. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly state: EngineState,
    private readonly enqueue: (command: EngineCommand, onDone: (failed: boolean) => void) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Called after every batch: the earliest due time may have moved, or the clock was pinned or
   * reset (what is due then changes at once: a pin in the future fires everything up to it).
   */
  reschedule(): void {
    const next = nextDueTime(this.state);
    if (next === null) return this.disarm();
    const pinned = this.state.pinnedClock;
    if (this.armedFor !== null && this.armedFor <= next && this.armedUnder === pinned) return;
    // A pinned clock stands still: what is not due at it will only be after the next pin.
    if (pinned !== null && next > pinned) return this.disarm();
    this.arm(next);
  }

  stop(): void {
    this.disarm();
  }

  private arm(at: number): void {
    this.disarm();
    this.armedFor = at;
    this.armedUnder = this.state.pinnedClock;
    // Node fires a timeout above 2^31-1 ms after 1 ms; a far-away item is re-armed on waking.
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMEOUT_MS, Math.max(0, at - this.clock())));
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
    this.armedUnder = null;
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = null;
    let queued = 0;
    const queuedAlready = (valueType: string, intent: string, key: bigint) => this.inFlight.has(`${valueType}:${intent}:${key}`);
    for (const command of dueCommands(this.state, this.clock(), MAX_COMMANDS_PER_WAKEUP, queuedAlready)) {
      const id = `${command.valueType}:${command.intent}:${command.key}`;
      this.inFlight.add(id);
      queued++;
      this.enqueue(command, (failed) => {
        if (!failed) this.inFlight.delete(id);
        else setTimeout(() => this.inFlight.delete(id), FAILED_RETRY_MS).unref?.();
      });
    }
    if (queued > 0) return;
    // Woken early (a far-away item's timeout was capped): sleep until it is due.
    const now = this.clock();
    const next = nextDueTime(this.state);
    if (next !== null && next > now) {
      if (this.state.pinnedClock === null) this.arm(next);
    }
    // Everything due is already queued (or keeps failing): look again shortly, not in a busy loop.
    else this.arm(now + IDLE_RETRY_MS);
  }
}
