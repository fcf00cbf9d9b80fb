/**
 * Successful password verifications, remembered for a short time so that scrypt runs once per
 * user and password rather than on every call. Entries hold an HMAC of the password under a key
 * made at start and never stored, so what sits in memory is no faster to attack than the hash.
 * An entry counts only while the user's stored hash is the one it was verified against: a new
 * password, or a user deleted and created again, misses at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface VerificationCacheOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry {
  readonly storedHash: string;
  readonly digest: Buffer;
  readonly expiresAt: number;
}

export const DEFAULT_VERIFICATION_TTL_MS = 5 * 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;

export class VerificationCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: VerificationCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_VERIFICATION_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  private digest(password: string): Buffer {
    return createHmac('sha256', this.key).update(password, 'utf8').digest();
  }

  /** Whether this password was verified against this stored hash within the TTL. */
  has(username: string, storedHash: string, password: string): boolean {
    const entry = this.entries.get(username);
    if (!entry) return false;
    if (entry.expiresAt <= this.now() || entry.storedHash !== storedHash) {
      this.entries.delete(username);
      return false;
    }
    return timingSafeEqual(entry.digest, this.digest(password));
  }

  remember(username: string, storedHash: string, password: string): void {
    this.entries.delete(username);
    this.entries.set(username, { storedHash, digest: this.digest(password), expiresAt: this.now() + this.ttlMs });
    // Oldest first in a Map: drop from the front.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(username: string): void {
    this.entries.delete(username);
  }
}
