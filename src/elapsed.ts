/**
 * This node's clock for measuring time between two of its own moments: lease confirmations,
 * staleness bounds, pacing. It is monotonic, so a step of the wall clock (NTP, `date -s`, a
 * VM resumed) neither makes a fresh lease look expired nor an expired one fresh. `Date.now()`
 * stays for timestamps that other nodes or people read.
 */
export function monotonicNow(): number {
  return performance.now();
}
