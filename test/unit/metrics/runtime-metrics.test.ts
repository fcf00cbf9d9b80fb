import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { loopDelaySeconds } from '../../../src/metrics/runtime-metrics.js';

describe('event-loop delay gauges', () => {
  it('report the delay beyond the sampling interval, not the interval itself', () => {
    expect(loopDelaySeconds(10.25e6)).toBeCloseTo(0.00025, 9);
    expect(loopDelaySeconds(85e6)).toBeCloseTo(0.075, 9);
    // A timer that fired a little early is no delay.
    expect(loopDelaySeconds(9.2e6)).toBe(0);
    // No sample yet.
    expect(loopDelaySeconds(Number.NaN)).toBe(0);
  });

  it('read an idle loop as nearly no delay (Node records the whole interval)', async () => {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    await new Promise((resolve) => setTimeout(resolve, 120));
    histogram.disable();
    // What Node records includes the 10 ms interval; the gauge's reading is what is left.
    expect(histogram.min / 1e6).toBeGreaterThan(5);
    expect(loopDelaySeconds(histogram.min)).toBeLessThan(histogram.min / 1e9);
  });
});
