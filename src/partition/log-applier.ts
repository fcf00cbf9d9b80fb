import { applyEvent } from '../engine/appliers/index.js';
import type { ModelCache } from '../engine/models.js';
import type { ProcessValue } from '../engine/records.js';
import type { EngineState } from '../engine/state/engine-state.js';
import type { LogEntry } from '../storage/log-entry.js';
import { compileStoredProcess } from './model-loader.js';

/**
 * Applies committed log entries to a state without processing anything: how a replay and
 * (later) a follower rebuild exactly what the leader has. Models a batch deploys are
 * compiled before its events are applied, since some appliers read the model.
 */
export async function applyLogEntry(state: EngineState, models: ModelCache, entry: LogEntry): Promise<void> {
  for (const record of entry.records) {
    if (record.recordType === 'EVENT' && record.valueType === 'PROCESS' && record.intent === 'CREATED') {
      await compileStoredProcess(models, record.value as ProcessValue);
    }
  }
  for (const record of entry.records) applyEvent(state, record, models);
  state.setKeyCounter(entry.keyCounter);
}
