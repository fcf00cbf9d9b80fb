import { monitorEventLoopDelay } from 'node:perf_hooks';
import { METRIC } from './names.js';
import type { ZenMetrics } from './zen-metrics.js';

/** Event-loop delay is summarised per window of this length; the gauges show the last full window. */
const WINDOW_MS = 10_000;

/**
 * Process gauges: memory, and event-loop delay (how late timers and I/O callbacks run: a busy
 * loop delays every commit and reply). The delay histogram is reset every window rather than
 * on scrape, so several scrapers see the same values. Returns the stop function.
 */
export function observeRuntime(metrics: ZenMetrics): () => void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = { mean: 0, p99: 0, max: 0 };
  const take = () => {
    // Values are in nanoseconds; NaN/0 before the first sample.
    const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
    last = { mean: seconds(histogram.mean), p99: seconds(histogram.percentile(99)), max: seconds(histogram.max) };
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
