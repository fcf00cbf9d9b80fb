import { describe, expect, it } from 'vitest';
import { VerificationCache } from '../../../src/security/verification-cache.js';

describe('VerificationCache', () => {
  it('knows a password verified against a stored hash, and only that one', () => {
    const cache = new VerificationCache();
    cache.remember('ann', 'hash-1', 'secret');
    expect(cache.has('ann', 'hash-1', 'secret')).toBe(true);
    expect(cache.has('ann', 'hash-1', 'Secret')).toBe(false);
    expect(cache.has('bob', 'hash-1', 'secret')).toBe(false);
  });

  it('misses once the stored hash changed (a new password, a user made again) and drops the entry', () => {
    const cache = new VerificationCache();
    cache.remember('ann', 'hash-1', 'secret');
    expect(cache.has('ann', 'hash-2', 'secret')).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('forgets after its TTL, and on request', () => {
    let now = 1_000;
    const cache = new VerificationCache({ ttlMs: 100, now: () => now });
    cache.remember('ann', 'h', 'p');
    now += 99;
    expect(cache.has('ann', 'h', 'p')).toBe(true);
    now += 1;
    expect(cache.has('ann', 'h', 'p')).toBe(false);
    cache.remember('bob', 'h', 'p');
    cache.forget('bob');
    expect(cache.has('bob', 'h', 'p')).toBe(false);
  });

  it('holds at most maxEntries, dropping the oldest', () => {
    const cache = new VerificationCache({ maxEntries: 3 });
    for (const name of ['a', 'b', 'c', 'd']) cache.remember(name, 'h', 'p');
    expect(cache.size).toBe(3);
    expect(cache.has('a', 'h', 'p')).toBe(false);
    expect(cache.has('d', 'h', 'p')).toBe(true);
  });
});
