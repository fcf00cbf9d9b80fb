import { createHash } from 'node:crypto';
import type { Principal } from '../../node/principal.js';

/**
 * Principals of tokens that verified, keyed by the SHA-256 of the token, each kept until its
 * `exp` (plus the clock tolerance the verifier grants). A worker sends the same token on every
 * call for as long as it lives, so its calls cost a hash and a map lookup, not an RSA verify.
 * Keys are hashes so that the map holds no bearer token an attacker could read from a heap dump.
 * Bounded: when full, the least recently used entry goes.
 */
export class TokenCache {
  private readonly entries = new Map<string, { readonly principal: Principal; readonly expiresAtMs: number }>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  get(key: string): Principal | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (this.now() >= entry.expiresAtMs) return undefined;
    this.entries.set(key, entry);
    return entry.principal;
  }

  set(key: string, principal: Principal, expiresAtMs: number): void {
    if (this.capacity <= 0 || this.now() >= expiresAtMs) return;
    this.entries.delete(key);
    this.entries.set(key, { principal, expiresAtMs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
