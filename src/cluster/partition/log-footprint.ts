/**
 * What a leader's appends of this term take in etcd, entry by entry, so the log in etcd can be
 * bounded by bytes as well as by entries. Entries from before the term are not known here;
 * they are below the floor as soon as this term's entries alone reach the bound, so the log
 * holds at most about twice the bound in the worst case, and the bound once a term is under way.
 */
export class LogFootprint {
  private readonly indexes: number[] = [];
  private readonly bytes: number[] = [];
  private total = 0;

  record(index: number, storedBytes: number): void {
    this.indexes.push(index);
    this.bytes.push(storedBytes);
    this.total += storedBytes;
  }

  /** Bytes of the recorded entries still in etcd. */
  get retainedBytes(): number {
    return this.total;
  }

  /**
   * The lowest index to keep so that the entries from it to the head take at most `maxBytes`
   * (always keeps the newest entry). 0 when everything recorded fits.
   */
  floor(maxBytes: number): number {
    if (this.total <= maxBytes) return 0;
    let sum = 0;
    for (let i = this.bytes.length - 1; i >= 0; i--) {
      sum += this.bytes[i]!;
      if (sum > maxBytes) return this.indexes[Math.min(i + 1, this.indexes.length - 1)]!;
    }
    return 0;
  }

  /** Forgets entries below `index` (compacted away). */
  dropBelow(index: number): void {
    let n = 0;
    while (n < this.indexes.length && this.indexes[n]! < index) this.total -= this.bytes[n++]!;
    this.indexes.splice(0, n);
    this.bytes.splice(0, n);
  }
}
