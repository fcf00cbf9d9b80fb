import type { EngineCommand } from '../engine/processing/types.js';
import type { DeploymentAttachment } from '../engine/processing/types.js';
import type { DeploymentValue } from '../engine/records.js';
import { compileResource } from '../model/index.js';
import type { CompileResult } from '../model/types.js';

/** Commands that need asynchronous work (compiling models) before the engine can process them. */
export function needsPreparation(command: Pick<EngineCommand, 'valueType' | 'intent'>): boolean {
  return command.valueType === 'DEPLOYMENT' && command.intent === 'CREATE';
}

/** Attaches what the engine needs but cannot compute synchronously. */
export async function prepareCommand<C extends Omit<EngineCommand, 'requestId'>>(command: C): Promise<C> {
  if (!needsPreparation(command)) return command;
  const value = command.value as DeploymentValue;
  const compiled = new Map<string, CompileResult>();
  for (const { resourceName, resource } of value.resources) {
    compiled.set(resourceName, await compileResource(resourceName, resource));
  }
  return { ...command, attachment: { compiled } satisfies DeploymentAttachment };
}
