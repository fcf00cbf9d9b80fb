import { evalAny } from '../../behaviors/expressions.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { visibleVariables } from '../../behaviors/variables.js';
import type { ProcessEventValue } from '../../records.js';
import { elementProcessor } from './element-processor.js';

/** A script task with `zeebe:script`: the engine evaluates the FEEL expression itself. */
export const scriptTaskProcessor = elementProcessor({
  activate(ctx, instance, element) {
    const script = element.script!;
    const result = evalAny(script.expression, visibleVariables(ctx, instance.key), ctx.now);
    if (!result.ok) {
      raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the script: ${result.message}`);
      return;
    }
    toActivated(ctx, instance);
    // The result travels like a job's result: merged into the scope unless output mappings say otherwise.
    const trigger: ProcessEventValue = {
      scopeKey: instance.key,
      targetElementId: element.id,
      variables: { [script.resultVariable]: result.value },
      processDefinitionKey: instance.value.processDefinitionKey,
      processInstanceKey: instance.value.processInstanceKey,
      tenantId: instance.value.tenantId,
    };
    ctx.event('PROCESS_EVENT', 'TRIGGERED', instance.key, trigger);
    completeLater(ctx, instance);
  },
  complete(ctx, instance, element, model) {
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
});
