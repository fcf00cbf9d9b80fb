/**
 * Slows down guessing: each failed authentication from a client address makes that address wait
 * longer for its next refusal (nothing for the first, then 250 ms doubling up to a cap), until
 * a success or a quiet period forgets it. At most `maxClients` addresses are remembered; past
 * that the least recently seen one is dropped, so memory stays bounded whoever knocks.
 */
export interface FailureThrottleOptions {
  /** Failures that cost nothing: a typo is not an attack. */
  readonly freeFailures?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Without a failure for this long, an address starts afresh. */
  readonly forgetAfterMs?: number;
  readonly maxClients?: number;
  readonly now?: () => number;
}

interface ClientFailures {
  failures: number;
  lastFailureAt: number;
}

export class FailureThrottle {
  private readonly clients = new Map<string, ClientFailures>();
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly forgetAfterMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(options: FailureThrottleOptions = {}) {
    this.freeFailures = options.freeFailures ?? 1;
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 4_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Counts a failure of `address` and says how long to hold its answer (ms). */
  failed(address: string): number {
    const now = this.now();
    const known = this.clients.get(address);
    const failures = known && now - known.lastFailureAt < this.forgetAfterMs ? known.failures + 1 : 1;
    this.clients.delete(address);
    this.clients.set(address, { failures, lastFailureAt: now });
    while (this.clients.size > this.maxClients) this.clients.delete(this.clients.keys().next().value!);
    return this.delayFor(failures);
  }

  succeeded(address: string): void {
    this.clients.delete(address);
  }

  delayFor(failures: number): number {
    if (failures <= this.freeFailures) return 0;
    const doublings = Math.min(failures - this.freeFailures - 1, 30);
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** doublings);
  }
}
