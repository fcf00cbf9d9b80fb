import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/node/principal.js';
import { TokenCache } from '../../../src/security/oidc/token-cache.js';

const principal = (id: string): Principal => ({ kind: 'client', id, groups: [] });

describe('TokenCache', () => {
  it('keys are SHA-256 of the token, not the token', () => {
    const key = TokenCache.keyOf('header.payload.signature');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('payload');
    expect(TokenCache.keyOf('header.payload.signature')).toBe(key);
    expect(TokenCache.keyOf('header.payload.signaturf')).not.toBe(key);
  });

  it('keeps an entry until its expiry, then forgets it', () => {
    let now = 1_000;
    const cache = new TokenCache(10, () => now);
    cache.set('k', principal('a'), 2_000);
    expect(cache.get('k')?.id).toBe('a');
    now = 1_999;
    expect(cache.get('k')?.id).toBe('a');
    now = 2_000;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used when full', () => {
    const cache = new TokenCache(2, () => 0);
    cache.set('a', principal('a'), 10);
    cache.set('b', principal('b'), 10);
    cache.get('a');
    cache.set('c', principal('c'), 10);
    expect([cache.get('a')?.id, cache.get('b')?.id, cache.get('c')?.id]).toEqual(['a', undefined, 'c']);
  });

  it('capacity 0 keeps nothing; an already expired entry is not kept', () => {
    const none = new TokenCache(0, () => 0);
    none.set('a', principal('a'), 10);
    expect(none.get('a')).toBeUndefined();
    const cache = new TokenCache(5, () => 100);
    cache.set('a', principal('a'), 100);
    expect(cache.size).toBe(0);
  });
});
