import { evalBoolean } from '../../behaviors/expressions.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { toActivated, toCompleted, toCompleting } from '../../behaviors/transitions.js';
import { visibleVariables } from '../../behaviors/variables.js';
import type { Variables } from '../../records.js';
import type { ElementInstance } from '../../state/types.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { ExecutableElement, ExecutableProcess } from '../../../model/types.js';
import { elementProcessor } from './element-processor.js';

/** Gateways never wait: they pass through all lifecycle steps within their activation. */
export function passThrough(ctx: ProcessingContext, instance: ElementInstance, model: ExecutableProcess, flowIds: readonly string[]): void {
  toActivated(ctx, instance);
  toCompleting(ctx, instance);
  toCompleted(ctx, instance, model, flowIds);
}

export const exclusiveGatewayProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    const outgoing = element.outgoing;
    let chosen: string | null = null;
    let vars: Variables | null = null;
    for (const flowId of outgoing) {
      if (flowId === element.defaultFlowId) continue;
      const flow = model.flows.get(flowId)!;
      if (!flow.condition) {
        chosen = flowId;
        break;
      }
      // The gateway's own scope: what its start execution listeners set is seen too (as in Zeebe).
      vars ??= visibleVariables(ctx, instance.key);
      const result = evalBoolean(flow.condition, vars, ctx.now);
      if (!result.ok) {
        // Zeebe's type for a condition that cannot be evaluated to a boolean; CONDITION_ERROR means "no flow to take".
        raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}', sequence flow '${flowId}': ${result.message}`);
        return;
      }
      if (result.value) {
        chosen = flowId;
        break;
      }
    }
    chosen ??= element.defaultFlowId;
    if (chosen === null && outgoing.length > 0) {
      raiseIncident(
        ctx,
        instance,
        'CONDITION_ERROR',
        `Expected at least one condition to evaluate to true, or to have a default flow (element '${element.id}')`,
      );
      return;
    }
    passThrough(ctx, instance, model, chosen === null ? [] : [chosen]);
  },
});

export const parallelGatewayProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    passThrough(ctx, instance, model, element.outgoing);
  },
});

/**
 * The flows an inclusive (or complex) gateway forks along: every flow whose condition is true (a
 * flow without one always counts), or the default flow when none is. Null when an incident was
 * raised instead.
 */
export function chooseInclusiveFlows(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): string[] | null {
  const chosen: string[] = [];
  let vars: Variables | null = null;
  for (const flowId of element.outgoing) {
    if (flowId === element.defaultFlowId) continue;
    const flow = model.flows.get(flowId)!;
    if (!flow.condition) {
      chosen.push(flowId);
      continue;
    }
    vars ??= visibleVariables(ctx, instance.key);
    const result = evalBoolean(flow.condition, vars, ctx.now);
    if (!result.ok) {
      raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}', sequence flow '${flowId}': ${result.message}`);
      return null;
    }
    if (result.value) chosen.push(flowId);
  }
  if (chosen.length === 0 && element.defaultFlowId !== null) chosen.push(element.defaultFlowId);
  if (chosen.length === 0 && element.outgoing.length > 0) {
    raiseIncident(ctx, instance, 'CONDITION_ERROR', `Expected at least one condition to evaluate to true, or to have a default flow (element '${element.id}')`);
    return null;
  }
  return chosen;
}

/** Inclusive gateway: joins (behaviors/join.ts) then forks along its chosen flows. */
export const inclusiveGatewayProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    const chosen = chooseInclusiveFlows(ctx, instance, element, model);
    if (chosen) passThrough(ctx, instance, model, chosen);
  },
});
