/**
 * The gap a node's partition leaders leave between the starts of two appends, when it is
 * 'auto' (ADR 020). A leader sends its next append as soon as the one in flight lands, so
 * spare CPU turns into more, smaller appends until the cores are saturated; then every hop of
 * an instance's chain waits for a core. Holding appends back while that happens leaves the CPU
 * to the work. When the machine is idle a gap only adds to every commit, so there is none.
 *
 * The signal is the event loop's delay, sampled over short windows: a loop that runs late is
 * a main thread that is runnable and not running (or busy). A delay above `raiseAboveMs`
 * raises the gap by a step; one below `lowerBelowMs` halves it. Between the two the gap
 * stays: with the gap that ended a saturation the delay sits there, and dropping the gap would
 * bring the saturation back.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loopDelaySeconds } from '../../metrics/index.js';

export interface AppendPacerOptions {
  /** Mean event-loop delay (ms) in a window above which the gap grows. */
  readonly raiseAboveMs: number;
  /** Mean event-loop delay (ms) in a window below which the gap shrinks. */
  readonly lowerBelowMs: number;
  /** What the gap grows by per window (ms). */
  readonly stepMs: number;
  /** The largest gap (ms). */
  readonly maxGapMs: number;
}

export const DEFAULT_PACER: AppendPacerOptions = { raiseAboveMs: 3, lowerBelowMs: 1, stepMs: 4, maxGapMs: 20 };

/** A gap below this is no gap: it would only delay commits by a timer's granularity. */
const LEAST_GAP_MS = 2;

/** The control rule alone: fed one mean delay per window, it answers the gap. */
export class AppendPacer {
  private gap = 0;

  constructor(private readonly options: AppendPacerOptions = DEFAULT_PACER) {}

  get gapMs(): number {
    return this.gap;
  }

  /** One window's mean event-loop delay, in ms. */
  observe(delayMs: number): number {
    const { raiseAboveMs, lowerBelowMs, stepMs, maxGapMs } = this.options;
    if (delayMs > raiseAboveMs) this.gap = Math.min(maxGapMs, this.gap + stepMs);
    else if (delayMs < lowerBelowMs) this.gap = this.gap / 2 < LEAST_GAP_MS ? 0 : this.gap / 2;
    return this.gap;
  }
}

/** Windows the delay is averaged over, in ms. */
const WINDOW_MS = 250;
/** The delay histogram's timer interval, in ms. */
const RESOLUTION_MS = 10;

/**
 * Feeds a pacer with this process's event-loop delay. Returns the gap function the appenders
 * read and the stop function.
 */
export function pacedByEventLoop(pacer: AppendPacer): { gapMs: () => number; stop: () => void } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const timer = setInterval(() => {
    // A window without a sample (the loop blocked throughout) says nothing, least of all "idle".
    if (histogram.count > 0) pacer.observe(loopDelaySeconds(histogram.mean, RESOLUTION_MS) * 1000);
    histogram.reset();
  }, WINDOW_MS);
  timer.unref();
  return {
    gapMs: () => pacer.gapMs,
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
