import type { ModelCache } from '../models.js';
import type { EventIntent, ValueType, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';

/** Applies one event to the state. Appliers are the only code that changes state. */
export type Applier<V = any> = (state: EngineState, record: ZenRecord<V>, models: ModelCache) => void;

/**
 * Every event intent of a value type, each with its applier, or null for an event that changes
 * no state. A table that leaves an intent out does not compile.
 */
export type ApplierTable<T extends ValueType> = { readonly [I in EventIntent<T>]: Applier | null };
