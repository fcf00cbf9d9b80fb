/**
 * Keys ordered by a due time (timers, job deadlines, back-offs, message TTLs), so the driver
 * can ask "what is due now?" and "when is the next thing due?" without scanning.
 *
 * A sorted array with binary search: inserts and deletes move memory, which stays cheap for
 * the tens of thousands of entries a partition holds at once, and iteration is in order.
 */
export class DueIndex {
  private dues: number[] = [];
  private keys: bigint[] = [];

  get size(): number {
    return this.keys.length;
  }

  add(due: number, key: bigint): void {
    const at = this.lowerBound(due, key);
    this.dues.splice(at, 0, due);
    this.keys.splice(at, 0, key);
  }

  remove(due: number, key: bigint): void {
    const at = this.lowerBound(due, key);
    if (at < this.keys.length && this.keys[at] === key && this.dues[at] === due) {
      this.dues.splice(at, 1);
      this.keys.splice(at, 1);
    }
  }

  /** Earliest due time, or null when empty. */
  next(): number | null {
    return this.dues.length > 0 ? this.dues[0]! : null;
  }

  /** Keys due at or before `now`, earliest first, at most `limit`. */
  dueAt(now: number, limit: number): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i < this.keys.length && out.length < limit; i++) {
      if (this.dues[i]! > now) break;
      out.push(this.keys[i]!);
    }
    return out;
  }

  /** How many keys are due at or before `now` (binary search, for metrics). */
  countDueAt(now: number): number {
    let lo = 0;
    let hi = this.dues.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.dues[mid]! <= now) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.dues = [];
    this.keys = [];
  }

  private lowerBound(due: number, key: bigint): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = this.dues[mid]!;
      if (d < due || (d === due && this.keys[mid]! < key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
