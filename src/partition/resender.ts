import type { OutboundCommand } from '../engine/processing/types.js';
import { unansweredCommands } from '../engine/queries.js';
import type { EngineState } from '../engine/state/engine-state.js';

/**
 * Cross-partition commands are delivered at least once: whatever the state says is still
 * unanswered is sent again at start-up (the original send died with the process) and
 * whenever an answer takes longer than `resendAfterMs`. Receivers are idempotent.
 */
export class Resender {
  private readonly firstSeen = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: EngineState,
    private readonly send: (command: OutboundCommand) => void,
    private readonly resendAfterMs = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    const now = this.clock();
    for (const { id, command } of unansweredCommands(this.state)) {
      this.firstSeen.set(id, now);
      this.send(command);
    }
    this.timer = setInterval(() => this.check(), Math.max(1000, this.resendAfterMs / 2));
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  check(): void {
    const now = this.clock();
    const pending = new Set<string>();
    for (const { id, command } of unansweredCommands(this.state)) {
      pending.add(id);
      const seen = this.firstSeen.get(id);
      if (seen === undefined) this.firstSeen.set(id, now);
      else if (now - seen >= this.resendAfterMs) {
        this.firstSeen.set(id, now);
        this.send(command);
      }
    }
    for (const id of this.firstSeen.keys()) if (!pending.has(id)) this.firstSeen.delete(id);
  }
}
