/**
 * SEQUENCE_FLOW_TAKEN records → h_sequence_flow: which flows of an instance were taken, once
 * each however often (Camunda keeps one row per instance and flow id, for drawing the diagram).
 */
import type { ProcessInstanceValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

export function projectSequenceFlow(record: ZenRecord, sql: Statements): void {
  const v = record.value as ProcessInstanceValue;
  sql.run(
    `INSERT INTO h_sequence_flow (process_instance_key, element_id, process_definition_key, bpmn_process_id, tenant_id)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    v.processInstanceKey, v.elementId, v.processDefinitionKey, v.bpmnProcessId, v.tenantId,
  );
}
