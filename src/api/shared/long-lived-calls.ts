/**
 * Calls a public API holds open (long polls, job streams, awaited results). Each registers
 * how to end itself early, so a graceful shutdown does not wait for their timeouts.
 */
export interface LongLivedCalls {
  /**
   * Returns the function that unregisters. `end` runs at most once: on shutdown, or right away
   * if shutdown has begun.
   */
  add(end: () => void): () => void;
}

export class LongLivedRegistry implements LongLivedCalls {
  private readonly calls = new Set<() => void>();
  private isClosing = false;

  add(end: () => void): () => void {
    if (this.isClosing) {
      queueMicrotask(end);
      return () => {};
    }
    let ended = false;
    const once = () => {
      if (ended) return;
      ended = true;
      this.calls.delete(once);
      end();
    };
    this.calls.add(once);
    return () => {
      ended = true;
      this.calls.delete(once);
    };
  }

  endAll(): void {
    this.isClosing = true;
    for (const end of [...this.calls]) end();
  }
}
