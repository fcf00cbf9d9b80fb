/**
 * PROCESS_INSTANCE records → h_element_instance (every element, the process included) and, for
 * the process element, h_process_instance. Camunda's states: ACTIVE until COMPLETED or TERMINATED.
 */
import type { ProcessInstanceValue, ZenRecord } from '../../engine/records.js';
import { projectSequenceFlow } from './sequence-flows.js';
import type { Statements } from './statements.js';

export function projectProcessInstance(record: ZenRecord, sql: Statements): void {
  const v = record.value as ProcessInstanceValue;
  const isProcess = v.bpmnElementType === 'PROCESS';
  switch (record.intent) {
    case 'ELEMENT_ACTIVATING':
      sql.run(
        `INSERT INTO h_element_instance (key, process_instance_key, process_definition_key, bpmn_process_id, element_id,
           element_type, state, start_date, flow_scope_key, tenant_id)
         VALUES (?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
        record.key, v.processInstanceKey, v.processDefinitionKey, v.bpmnProcessId, v.elementId,
        v.bpmnElementType, record.timestamp, v.flowScopeKey > 0n ? v.flowScopeKey : null, v.tenantId,
      );
      if (isProcess) {
        sql.run(
          `INSERT INTO h_process_instance (key, bpmn_process_id, process_definition_key, version, state, start_date,
             parent_process_instance_key, parent_element_instance_key, tenant_id)
           VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
          record.key, v.bpmnProcessId, v.processDefinitionKey, v.version, record.timestamp,
          v.parentProcessInstanceKey > 0n ? v.parentProcessInstanceKey : null,
          v.parentElementInstanceKey > 0n ? v.parentElementInstanceKey : null, v.tenantId,
        );
      }
      return;
    case 'ELEMENT_COMPLETED':
    case 'ELEMENT_TERMINATED': {
      const state = record.intent === 'ELEMENT_COMPLETED' ? 'COMPLETED' : 'TERMINATED';
      sql.run('UPDATE h_element_instance SET state = ?, end_date = ? WHERE key = ?', state, record.timestamp, record.key);
      if (isProcess) sql.run('UPDATE h_process_instance SET state = ?, end_date = ? WHERE key = ?', state, record.timestamp, record.key);
      return;
    }
    case 'ELEMENT_MIGRATED':
      sql.run(
        'UPDATE h_element_instance SET process_definition_key = ?, bpmn_process_id = ?, element_id = ? WHERE key = ?',
        v.processDefinitionKey, v.bpmnProcessId, v.elementId, record.key,
      );
      if (isProcess) {
        sql.run(
          'UPDATE h_process_instance SET process_definition_key = ?, bpmn_process_id = ?, version = ? WHERE key = ?',
          v.processDefinitionKey, v.bpmnProcessId, v.version, record.key,
        );
      }
      return;
    case 'SEQUENCE_FLOW_TAKEN':
      projectSequenceFlow(record, sql);
      return;
    default:
  }
}
