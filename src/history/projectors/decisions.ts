/**
 * DECISION_REQUIREMENTS and DECISION records → h_decision_requirements, h_decision_definition
 * (every partition has a copy, like process definitions; DELETED removes them), and each
 * DECISION_EVALUATION → one h_decision_instance per evaluated decision, identified as Camunda
 * does: `<evaluation key>-<1-based index>`. In a FAILED evaluation the decision that failed is
 * FAILED with the failure message, the ones evaluated before it EVALUATED.
 */
import type { DecisionEvaluationValue, DecisionRequirementsValue, DecisionValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

export function projectDecisionRequirements(record: ZenRecord, sql: Statements): void {
  const v = record.value as DecisionRequirementsValue;
  if (record.intent === 'CREATED') {
    sql.run(
      `INSERT INTO h_decision_requirements (key, decision_requirements_id, name, version, namespace, resource_name, resource, tenant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      v.decisionRequirementsKey, v.decisionRequirementsId, v.decisionRequirementsName, v.decisionRequirementsVersion,
      v.namespace, v.resourceName, v.resource, v.tenantId,
    );
  } else if (record.intent === 'DELETED') {
    sql.run('DELETE FROM h_decision_requirements WHERE key = ?', v.decisionRequirementsKey);
  }
}

export function projectDecision(record: ZenRecord, sql: Statements): void {
  const v = record.value as DecisionValue;
  if (record.intent === 'CREATED') {
    sql.run(
      `INSERT INTO h_decision_definition (key, decision_id, name, version, decision_requirements_id, decision_requirements_key, tenant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      v.decisionKey, v.decisionId, v.decisionName, v.version, v.decisionRequirementsId, v.decisionRequirementsKey, v.tenantId,
    );
  } else if (record.intent === 'DELETED') {
    sql.run('DELETE FROM h_decision_definition WHERE key = ?', v.decisionKey);
  }
}

export function projectDecisionEvaluation(record: ZenRecord, sql: Statements): void {
  if (record.intent !== 'EVALUATED' && record.intent !== 'FAILED') return;
  const v = record.value as DecisionEvaluationValue;
  const failed = record.intent === 'FAILED';
  const decisions = [...v.evaluatedDecisions];
  // A failure before the decision produced anything still leaves its instance.
  if (failed && !decisions.some((d) => d.decisionId === v.failedDecisionId)) {
    decisions.push({
      decisionId: v.decisionId, decisionName: v.decisionName, decisionKey: v.decisionKey, decisionVersion: v.decisionVersion,
      decisionType: 'UNKNOWN', decisionOutput: 'null', evaluatedInputs: [], matchedRules: [], tenantId: v.tenantId,
    });
  }
  const inProcess = v.processInstanceKey > 0n;
  decisions.forEach((d, i) => {
    const failure = failed && d.decisionId === v.failedDecisionId;
    sql.run(
      `INSERT INTO h_decision_instance (id, evaluation_key, state, evaluation_date, evaluation_failure, decision_id, decision_key,
         decision_name, decision_version, decision_type, result, evaluated_inputs, matched_rules, process_definition_key,
         process_instance_key, element_instance_key, tenant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      `${record.key}-${i + 1}`, record.key, failure ? 'FAILED' : 'EVALUATED', record.timestamp,
      failure ? v.evaluationFailureMessage : null, d.decisionId, d.decisionKey, d.decisionName, d.decisionVersion,
      d.decisionType, d.decisionOutput, JSON.stringify(d.evaluatedInputs), JSON.stringify(d.matchedRules),
      inProcess ? v.processDefinitionKey : null, inProcess ? v.processInstanceKey : null,
      inProcess ? v.elementInstanceKey : null, d.tenantId,
    );
  });
}
