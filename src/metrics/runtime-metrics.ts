import { monitorEventLoopDelay } from 'node:perf_hooks';
import { METRIC } from './names.js';
import type { ZenMetrics } from './zen-metrics.js';

/** Event-loop delay is summarised per window of this length; the gauges show the last full window. */
const WINDOW_MS = 10_000;
/** The histogram's timer interval, in ms. */
const RESOLUTION_MS = 10;

/**
 * A recorded sample (ns) as the delay it stands for, in seconds. Node records each timer
 * interval whole, the resolution included: an idle loop records about 10 ms, which is no delay.
 */
export function loopDelaySeconds(recordedNs: number, resolutionMs = RESOLUTION_MS): number {
  return Number.isFinite(recordedNs) ? Math.max(0, recordedNs / 1e6 - resolutionMs) / 1000 : 0;
}

/**
 * Process gauges: memory, and event-loop delay (how late timers and I/O callbacks run: a busy
 * loop delays every commit and reply). The delay histogram is reset every window rather than
 * on scrape, so several scrapers see the same values. Returns the stop function.
 */
export function observeRuntime(metrics: ZenMetrics): () => void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let last = { mean: 0, p99: 0, max: 0 };
  const take = () => {
    // NaN/0 before the first sample.
    last = { mean: loopDelaySeconds(histogram.mean), p99: loopDelaySeconds(histogram.percentile(99)), max: loopDelaySeconds(histogram.max) };
    histogram.reset();
  };
  const timer = setInterval(take, WINDOW_MS);
  timer.unref();
  const off = [
    metrics.registerGauge(METRIC.residentMemory, 'Resident set size of the node process', (r) => r.observe(process.memoryUsage.rss())),
    metrics.registerGauge(METRIC.heapUsed, 'V8 heap in use', (r) => r.observe(process.memoryUsage().heapUsed)),
    metrics.registerGauge(METRIC.eventLoopDelayMean, `Mean event-loop delay over the last ${WINDOW_MS / 1000} s, in seconds`, (r) => r.observe(last.mean)),
    metrics.registerGauge(METRIC.eventLoopDelayP99, `99th percentile of the event-loop delay over the last ${WINDOW_MS / 1000} s, in seconds`, (r) => r.observe(last.p99)),
    metrics.registerGauge(METRIC.eventLoopDelayMax, `Largest event-loop delay over the last ${WINDOW_MS / 1000} s, in seconds`, (r) => r.observe(last.max)),
  ];
  return () => {
    clearInterval(timer);
    histogram.disable();
    for (const unregister of off) unregister();
  };
}
