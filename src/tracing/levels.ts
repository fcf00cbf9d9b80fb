import type { TracingLevel } from '../config/types.js';

/** Each level includes the spans of the ones before it. */
const RANK: Readonly<Record<TracingLevel, number>> = { off: 0, api: 1, engine: 2, workers: 3, full: 4 };

export function tracesAtLeast(level: TracingLevel, wanted: Exclude<TracingLevel, 'off'>): boolean {
  return RANK[level] >= RANK[wanted];
}
