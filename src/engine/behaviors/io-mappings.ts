import type { ExecutableElement } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { ElementInstance } from '../state/types.js';
import { evalMappings } from './expressions.js';
import { endListenersBegan, endListenersDone } from './execution-listeners.js';
import { raiseIncident } from './incidents.js';
import { propagateVariables, setLocalVariables, visibleVariables } from './variables.js';

/**
 * Input mappings become local variables of the element. They are evaluated in the element's own
 * scope, as Zeebe does: a multi-instance inner activity's item and loopCounter are already
 * there. False when an incident was raised.
 */
export function applyInputMappings(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement): boolean {
  if (element.inputMappings.length === 0) return true;
  const source = visibleVariables(ctx, instance.key);
  const result = evalMappings(element.inputMappings, source, ctx.now);
  if (!result.ok) {
    raiseIncident(ctx, instance, 'IO_MAPPING_ERROR', `Element '${element.id}': failed to evaluate input mappings: ${result.message}`);
    return false;
  }
  setLocalVariables(ctx, instance.key, result.value, instance.value);
  return true;
}

/**
 * Output mappings see the element's variables plus what its trigger delivered (job result,
 * message, error) and write into the flow scope. Without output mappings the trigger's
 * variables are merged from the element's own scope upwards. Then the element's end execution
 * listeners run, one job at a time; when the completion goes on after them, the mappings are
 * not applied again. False while the element waits: an incident was raised, or a listener runs.
 */
export function applyOutputMappings(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement): boolean {
  if (endListenersBegan(ctx, instance.key)) return endListenersDone(ctx, instance, element);
  return mapOutputs(ctx, instance, element) && endListenersDone(ctx, instance, element);
}

function mapOutputs(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement): boolean {
  const trigger = instance.triggerVariables;
  if (element.outputMappings.length === 0) {
    if (trigger && Object.keys(trigger).length > 0) propagateVariables(ctx, instance.key, trigger);
    return true;
  }
  // As in Zeebe, with output mappings the result (job or message variables) becomes the element's
  // local variables first: what else reads the element's scope (a multi-instance outputElement) sees it.
  if (trigger && Object.keys(trigger).length > 0) setLocalVariables(ctx, instance.key, trigger, instance.value);
  const source = visibleVariables(ctx, instance.key);
  const targetScope = visibleVariables(ctx, instance.value.flowScopeKey);
  const result = evalMappings(element.outputMappings, source, ctx.now, { kind: 'output', targetScope });
  if (!result.ok) {
    raiseIncident(ctx, instance, 'IO_MAPPING_ERROR', `Element '${element.id}': failed to evaluate output mappings: ${result.message}`);
    return false;
  }
  // An inner multi-instance activity keeps its results in its own scope, where the body's
  // outputElement reads them (Zeebe does the same); any other element writes to its flow scope.
  const scope = ctx.state.elementInstances.get(instance.value.flowScopeKey);
  propagateVariables(ctx, scope?.value.bpmnElementType === 'MULTI_INSTANCE_BODY' ? instance.key : instance.value.flowScopeKey, result.value);
  return true;
}
