export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/** How often the same complaint about an issuer that stays down is repeated. */
export const REPEAT_WARNING_MS = 60_000;

/**
 * Warnings about an issuer that cannot be reached come with calls, many a second on a busy node;
 * the log gets the first, then one a minute while the reason stays the same.
 */
export class WarnThrottle {
  private last: { readonly key: string; readonly at: number } | undefined;

  constructor(
    private readonly logger: WarnLogger | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  warn(obj: object, msg: string, reason: string): void {
    const key = `${msg}\u0000${reason}`;
    const now = this.now();
    if (this.last !== undefined && this.last.key === key && now - this.last.at < REPEAT_WARNING_MS) return;
    this.last = { key, at: now };
    this.logger?.warn(obj, msg);
  }
}
