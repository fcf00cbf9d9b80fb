/**
 * CONDITIONAL_EVALUATION EVALUATE (POST /v2/conditionals/evaluation, Camunda 8.9): the
 * process-level conditional start events of the latest version of every process — or of the one
 * definition asked for — are evaluated against the request's variables; each that is true starts
 * an instance there with those variables. A start event with `variableNames` is evaluated only
 * when the request has one of them. A condition that cannot be evaluated starts nothing (there is
 * no instance yet to hold an incident), as in Camunda.
 */
import type { ExecutableElement, ExecutableProcess } from '../../../model/types.js';
import { evalCondition } from '../../behaviors/conditions.js';
import { startProcessInstance } from '../../behaviors/process-instances.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { ConditionalEvaluationValue, ConditionalStartedProcessInstance, Variables } from '../../records.js';
import type { ProcessRow } from '../../state/types.js';
import { tenantOf } from '../../tenants.js';

const startsOf = new WeakMap<ExecutableProcess, readonly ExecutableElement[]>();

/** The process's conditional start events, in document order, computed once per model. */
function conditionalStarts(model: ExecutableProcess): readonly ExecutableElement[] {
  let starts = startsOf.get(model);
  if (!starts) {
    starts = [...model.elements.values()].filter((e) => e.type === 'START_EVENT' && e.flowScopeId === model.id && e.conditional !== null);
    startsOf.set(model, starts);
  }
  return starts;
}

export function conditionalEvaluationEvaluate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as ConditionalEvaluationValue;
  const variables: Variables = value.variables ?? {};
  const tenantId = tenantOf(value.tenantId);
  let processes: ProcessRow[];
  if (value.processDefinitionKey > 0n) {
    const process = ctx.state.processes.get(value.processDefinitionKey);
    // Another tenant's definition is not found, as in Zeebe.
    if (!process || tenantOf(process.value.tenantId) !== tenantId) {
      ctx.reject('NOT_FOUND', `Expected to evaluate conditional start events of process definition with key '${value.processDefinitionKey}', but no such process was found`);
      return;
    }
    processes = [process];
  } else {
    processes = [...ctx.state.processes.latestVersions(tenantId)].sort((a, b) => (a.key < b.key ? -1 : 1));
  }
  const names = Object.keys(variables);
  const started: ConditionalStartedProcessInstance[] = [];
  for (const process of processes) {
    if (!ctx.models.has(process.key)) continue;
    for (const start of conditionalStarts(ctx.models.get(process.key))) {
      const { variableNames } = start.conditional!;
      if (variableNames.length > 0 && !variableNames.some((name) => names.includes(name))) continue;
      const holds = evalCondition(start.conditional!, variables, ctx.now);
      if (!holds.ok || !holds.value) continue;
      const processInstanceKey = startProcessInstance(ctx, process.value, variables, start.id);
      started.push({ processDefinitionKey: process.key, processInstanceKey });
    }
  }
  const evaluated: ConditionalEvaluationValue = {
    processDefinitionKey: value.processDefinitionKey > 0n ? value.processDefinitionKey : -1n,
    variables,
    tenantId,
    startedProcessInstances: started,
  };
  const key = ctx.nextKey();
  ctx.event('CONDITIONAL_EVALUATION', 'EVALUATED', key, evaluated);
  ctx.respond(key, { conditionalEvaluationKey: key, tenantId, processInstances: started });
}
