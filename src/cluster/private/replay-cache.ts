/**
 * The nonces of proofs accepted recently (auth.ts), so that each proof is accepted once. A
 * nonce only needs remembering while its proof could still pass the time-window check; after
 * that the window refuses it anyway, and the entry is dropped.
 */

/** What `admit` decided. */
export type Admission = 'fresh' | 'replayed' | 'full';

/** Expired entries are dropped by whole seconds of expiry, so a sweep costs one step per second held. */
const BUCKET_MS = 1000;

export class ReplayCache {
  private readonly seen = new Set<string>();
  /** Expiry second → the nonces that expire within it. */
  private readonly buckets = new Map<number, string[]>();
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`Expected a positive replay-cache capacity, got ${capacity}`);
  }

  get size(): number {
    return this.seen.size;
  }

  /**
   * Records `nonce` as used until `expiresAt` (ms). 'replayed': it was already used;
   * 'full': the cache holds `capacity` unexpired nonces and takes no more.
   *
   * When full it refuses rather than forgets: forgetting an unexpired nonce would let its proof
   * be replayed for the rest of the window. Only holders of the cluster key can fill it (a
   * nonce is admitted after its proof's HMAC and time verified), so a flood means a misbehaving
   * member, and refusing its excess is the safe answer; honest nodes are refused only until
   * entries expire.
   */
  admit(nonce: string, expiresAt: number, now: number): Admission {
    this.sweep(now, false);
    if (this.seen.has(nonce)) return 'replayed';
    if (this.seen.size >= this.capacity) {
      this.sweep(now, true);
      if (this.seen.size >= this.capacity) return 'full';
    }
    this.seen.add(nonce);
    const second = Math.ceil(expiresAt / BUCKET_MS);
    const bucket = this.buckets.get(second);
    if (bucket) bucket.push(nonce);
    else this.buckets.set(second, [nonce]);
    return 'fresh';
  }

  /** Drops every bucket whose nonces all expired before `now`; at most once a second unless forced. */
  private sweep(now: number, force: boolean): void {
    if (!force && now - this.sweptAt < BUCKET_MS) return;
    this.sweptAt = now;
    for (const [second, nonces] of this.buckets) {
      if (second * BUCKET_MS >= now) continue;
      for (const nonce of nonces) this.seen.delete(nonce);
      this.buckets.delete(second);
    }
  }
}
