import type { ModelCache } from '../models.js';
import type { ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';

/** Applies one event to the state. Appliers are the only code that changes state. */
export type Applier<V = any> = (state: EngineState, record: ZenRecord<V>, models: ModelCache) => void;

export type ApplierTable = Record<string, Applier>;
