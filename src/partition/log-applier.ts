import { applyEvent } from '../engine/appliers/index.js';
import type { ModelCache } from '../engine/models.js';
import type { ProcessValue, ZenRecord } from '../engine/records.js';
import type { EngineState } from '../engine/state/engine-state.js';
import type { LogEntry } from '../storage/log-entry.js';
import { compileStoredProcess } from './model-loader.js';

/**
 * Applies committed log entries to a state without processing anything: how a replay and a
 * follower rebuild exactly what the leader has. Models a batch deploys are compiled before
 * its events are applied, since some appliers read the model.
 */
export async function applyLogEntry(state: EngineState, models: ModelCache, entry: LogEntry): Promise<void> {
  await compileDeployed(models, entry.records);
  applyRecords(state, models, entry.records, entry.keyCounter);
}

/** Compiles the processes these records deploy; null when they deploy none (no need to wait). */
export function compileDeployed(models: ModelCache, records: readonly ZenRecord[]): Promise<void> | null {
  let compiling: Promise<void> | null = null;
  for (const record of records) {
    if (record.recordType === 'EVENT' && record.valueType === 'PROCESS' && record.intent === 'CREATED') {
      const value = record.value as ProcessValue;
      compiling = (compiling ?? Promise.resolve()).then(() => compileStoredProcess(models, value));
    }
  }
  return compiling;
}

/** Applies one entry's records, whose deployed models are compiled (`compileDeployed`). */
export function applyRecords(state: EngineState, models: ModelCache, records: readonly ZenRecord[], keyCounter: bigint): void {
  for (const record of records) applyEvent(state, record, models);
  state.setKeyCounter(keyCounter);
}
