import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../../src/security/failure-throttle.js';

describe('FailureThrottle', () => {
  it('lets the first failure go, then doubles from 250 ms up to a 4 s cap', () => {
    const throttle = new FailureThrottle();
    const delays = Array.from({ length: 8 }, () => throttle.failed('10.0.0.1'));
    expect(delays).toEqual([0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('counts per client address, and a success starts that address afresh', () => {
    const throttle = new FailureThrottle();
    throttle.failed('a');
    throttle.failed('a');
    expect(throttle.failed('b')).toBe(0);
    throttle.succeeded('a');
    expect(throttle.failed('a')).toBe(0);
  });

  it('forgets an address after a quiet period', () => {
    let now = 0;
    const throttle = new FailureThrottle({ forgetAfterMs: 60_000, now: () => now });
    throttle.failed('a');
    throttle.failed('a');
    now += 60_000;
    expect(throttle.failed('a')).toBe(0);
  });

  it('remembers at most maxClients addresses, dropping the least recently seen', () => {
    const throttle = new FailureThrottle({ maxClients: 100 });
    for (let i = 0; i < 10_000; i++) throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(throttle.size).toBe(100);
    throttle.failed('x');
    throttle.failed('x');
    for (let i = 0; i < 99; i++) throttle.failed(`y${i}`);
    expect(throttle.failed('x')).toBe(500);
  });
});
