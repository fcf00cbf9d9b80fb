import type { ModelCache } from '../engine/models.js';
import type { ProcessValue } from '../engine/records.js';
import type { EngineState } from '../engine/state/engine-state.js';
import { compileBpmn } from '../model/index.js';

/** Compiles a stored process definition; the stored XML was valid when it was deployed. */
export async function compileStoredProcess(models: ModelCache, value: ProcessValue): Promise<void> {
  if (models.has(value.processDefinitionKey)) return;
  const result = await compileBpmn(value.resourceName, value.resource);
  if (!result.ok) {
    throw new Error(`Stored process ${value.bpmnProcessId} v${value.version} no longer compiles: ${result.errors[0]?.message}`);
  }
  const process = result.resource.processes.find((p) => p.id === value.bpmnProcessId);
  if (!process) throw new Error(`Stored resource ${value.resourceName} lacks process ${value.bpmnProcessId}`);
  models.put(value.processDefinitionKey, process);
}

/** Compiles every process definition in the state, before the engine touches any of them. */
export async function compileAllProcesses(state: EngineState, models: ModelCache): Promise<void> {
  for (const row of [...state.processes.all()]) await compileStoredProcess(models, row.value);
}
