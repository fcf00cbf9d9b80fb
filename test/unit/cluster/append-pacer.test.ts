/** The rule that sets the gap between a leader's appends from the event loop's delay. */
import { describe, expect, it } from 'vitest';
import { AppendPacer } from '../../../src/cluster/partition/append-pacer.js';

const options = { raiseAboveMs: 3, lowerBelowMs: 1, stepMs: 4, maxGapMs: 20 };

describe('append pacer', () => {
  it('leaves no gap while the event loop keeps time', () => {
    const pacer = new AppendPacer(options);
    for (const delay of [0, 0.2, 0.9, 0.5]) expect(pacer.observe(delay)).toBe(0);
  });

  it('raises the gap by a step per late window, up to the largest gap', () => {
    const pacer = new AppendPacer(options);
    expect([8, 8, 8, 8, 8, 8].map((d) => pacer.observe(d))).toEqual([4, 8, 12, 16, 20, 20]);
    expect(pacer.gapMs).toBe(20);
  });

  it('keeps the gap while the delay is between the two thresholds', () => {
    const pacer = new AppendPacer(options);
    for (let i = 0; i < 3; i++) pacer.observe(5);
    expect([2, 1.5, 2.9, 1].map((d) => pacer.observe(d))).toEqual([12, 12, 12, 12]);
  });

  it('halves the gap per window once the loop keeps time again, and drops one too small to matter', () => {
    const pacer = new AppendPacer(options);
    for (let i = 0; i < 4; i++) pacer.observe(5);
    expect([0.5, 0.5, 0.5, 0.5].map((d) => pacer.observe(d))).toEqual([8, 4, 2, 0]);
  });
});
