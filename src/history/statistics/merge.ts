/** Element statistics of several partitions as one: summed per element id, in element id order. */
import type { ElementStatistics } from './aggregate.js';

export function sumElementStatistics(parts: ReadonlyArray<readonly ElementStatistics[]>): ElementStatistics[] {
  const sums = new Map<string, { active: number; canceled: number; incidents: number; completed: number }>();
  for (const part of parts) {
    for (const s of part) {
      const sum = sums.get(s.elementId) ?? { active: 0, canceled: 0, incidents: 0, completed: 0 };
      sum.active += s.active;
      sum.canceled += s.canceled;
      sum.incidents += s.incidents;
      sum.completed += s.completed;
      sums.set(s.elementId, sum);
    }
  }
  return [...sums.keys()].sort().map((elementId) => ({ elementId, ...sums.get(elementId)! }));
}
