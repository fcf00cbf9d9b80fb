/** A FEEL context: ordered string keys to values. */
import type { Value } from './value.js';

export class FeelContext {
  readonly entries: Map<string, Value>;
  constructor(entries?: Map<string, Value> | Iterable<[string, Value]>) {
    this.entries = entries instanceof Map ? entries : new Map(entries ?? []);
  }
  get(key: string): Value | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  with(key: string, value: Value): FeelContext {
    const entries = new Map(this.entries);
    entries.set(key, value);
    return new FeelContext(entries);
  }
}
