/**
 * INCIDENT records → h_incident, and the incident flags of the element and process instance
 * (Camunda's `hasIncident`, an element's `incidentKey`).
 */
import type { IncidentValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

export function projectIncident(record: ZenRecord, sql: Statements): void {
  const v = record.value as IncidentValue;
  if (record.intent === 'CREATED') {
    sql.run(
      `INSERT INTO h_incident (key, process_instance_key, process_definition_key, bpmn_process_id, element_id,
         element_instance_key, job_key, error_type, error_message, state, creation_time, tenant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?) ON CONFLICT (key) DO NOTHING`,
      record.key, v.processInstanceKey, v.processDefinitionKey, v.bpmnProcessId, v.elementId, v.elementInstanceKey,
      v.jobKey > 0n ? v.jobKey : null, v.errorType, v.errorMessage, record.timestamp, v.tenantId,
    );
    sql.run('UPDATE h_element_instance SET incident_key = ? WHERE key = ?', record.key, v.elementInstanceKey);
  } else if (record.intent === 'RESOLVED') {
    sql.run(`UPDATE h_incident SET state = 'RESOLVED' WHERE key = ?`, record.key);
    sql.run('UPDATE h_element_instance SET incident_key = NULL WHERE key = ? AND incident_key = ?', v.elementInstanceKey, record.key);
  } else if (record.intent === 'MIGRATED') {
    sql.run(
      'UPDATE h_incident SET process_definition_key = ?, bpmn_process_id = ?, element_id = ? WHERE key = ?',
      v.processDefinitionKey, v.bpmnProcessId, v.elementId, record.key,
    );
    return;
  } else return;
  sql.run(
    `UPDATE h_process_instance SET has_incident = EXISTS (SELECT 1 FROM h_incident WHERE process_instance_key = ? AND state = 'ACTIVE') WHERE key = ?`,
    v.processInstanceKey, v.processInstanceKey,
  );
}
