import { activateAdHocElement, unknownAdHocElements } from '../../behaviors/ad-hoc.js';
import { elementOf } from '../../models.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { AdHocSubProcessInstructionValue } from '../../records.js';

/** ActivateAdHocSubProcessActivities: starts the given elements in a running ad-hoc sub-process (key: its instance). */
export function adHocSubProcessActivate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as AdHocSubProcessInstructionValue;
  const key = value.adHocSubProcessInstanceKey;
  const instance = ctx.state.elementInstances.get(key);
  if (!instance || instance.value.bpmnElementType !== 'AD_HOC_SUB_PROCESS' || !ctx.mayUseTenant(instance.value.tenantId)) {
    ctx.reject('NOT_FOUND', `Expected to activate activities for ad-hoc sub-process but no ad-hoc sub-process instance found with key '${key}'.`);
    return;
  }
  if (instance.state !== 'ACTIVATED') {
    ctx.reject('INVALID_STATE', `Expected to activate activities for ad-hoc sub-process with key '${key}', but it is not active.`);
    return;
  }
  const ids = value.activateElements.map((e) => e.elementId);
  if (new Set(ids).size !== ids.length) {
    ctx.reject('INVALID_ARGUMENT', `Expected to activate activities for ad-hoc sub-process with key '${key}', but duplicate activities were given.`);
    return;
  }
  const element = elementOf(ctx.models.get(instance.value.processDefinitionKey), instance.value);
  const unknown = unknownAdHocElements(element, ids);
  if (unknown.length > 0) {
    ctx.reject('NOT_FOUND', `Expected to activate activities for ad-hoc sub-process with key '${key}', but the given elements [${unknown.join(', ')}] do not exist.`);
    return;
  }
  ctx.event('AD_HOC_SUB_PROCESS_INSTRUCTION', 'ACTIVATED', key, { ...value, tenantId: instance.value.tenantId });
  for (const { elementId, variables } of value.activateElements) activateAdHocElement(ctx, instance, element, elementId, variables);
  ctx.respond(key, {});
}
