import { evaluateDeployedDecision, findCalledDecision } from '../../behaviors/decisions.js';
import { evalString } from '../../behaviors/expressions.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { completeLater, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { visibleVariables } from '../../behaviors/variables.js';
import type { ProcessEventValue } from '../../records.js';
import { elementProcessor } from './element-processor.js';

/**
 * A business rule task with `zeebe:calledDecision`: the engine evaluates the decision as the
 * task activates. A failure (no such decision, a failed evaluation) is an incident; resolving
 * it evaluates again.
 */
export const businessRuleTaskProcessor = elementProcessor({
  activate(ctx, instance, element) {
    const called = element.calledDecision!;
    const variables = visibleVariables(ctx, instance.key);
    const id = evalString(called.decisionId, variables, ctx.now);
    if (!id.ok) {
      raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', id.message);
      return;
    }
    const found = findCalledDecision(ctx, called, id.value, instance.value);
    if (!found.ok) {
      raiseIncident(ctx, instance, 'CALLED_DECISION_ERROR', found.message);
      return;
    }
    const outcome = evaluateDeployedDecision(ctx, found.decision, variables, {
      bpmnProcessId: instance.value.bpmnProcessId,
      processDefinitionKey: instance.value.processDefinitionKey,
      processInstanceKey: instance.value.processInstanceKey,
      elementId: element.id,
      elementInstanceKey: instance.key,
    });
    if (!outcome.ok) {
      raiseIncident(ctx, instance, 'DECISION_EVALUATION_ERROR', outcome.message);
      return;
    }
    toActivated(ctx, instance);
    // As a script task's result: merged into the scope unless output mappings say otherwise.
    const trigger: ProcessEventValue = {
      scopeKey: instance.key,
      targetElementId: element.id,
      variables: { [called.resultVariable]: outcome.output },
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
