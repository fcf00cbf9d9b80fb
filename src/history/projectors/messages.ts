/**
 * PROCESS_MESSAGE_SUBSCRIPTION records → h_message_subscription (Camunda's states CREATED,
 * CORRELATED, DELETED, MIGRATED; a subscription is its element instance and message name, as in
 * the engine's state) and each correlation → h_correlated_message, with the message start events
 * a message triggered (MESSAGE_START_EVENT_SUBSCRIPTION CORRELATED, keyed by the process definition).
 */
import type { MessageStartEventSubscriptionValue, ProcessMessageSubscriptionValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

export function projectProcessMessageSubscription(record: ZenRecord, sql: Statements): void {
  const v = record.value as ProcessMessageSubscriptionValue;
  switch (record.intent) {
    case 'CREATED':
      sql.run(
        `INSERT INTO h_message_subscription (element_instance_key, message_name, state, last_updated_date, correlation_key, element_id,
           process_instance_key, process_definition_key, bpmn_process_id, tenant_id)
         VALUES (?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (element_instance_key, message_name) DO UPDATE SET state = 'CREATED', last_updated_date = excluded.last_updated_date`,
        v.elementInstanceKey, v.messageName, record.timestamp, v.correlationKey, v.elementId, v.processInstanceKey,
        v.processDefinitionKey, v.bpmnProcessId, v.tenantId,
      );
      return;
    case 'CORRELATED':
      sql.run(
        `UPDATE h_message_subscription SET state = 'CORRELATED', last_updated_date = ? WHERE element_instance_key = ? AND message_name = ?`,
        record.timestamp, v.elementInstanceKey, v.messageName,
      );
      sql.run(
        `INSERT INTO h_correlated_message (message_key, subscription_key, message_name, correlation_key, correlation_time, element_id,
           element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, partition_id, tenant_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        v.messageKey, v.elementInstanceKey, v.messageName, v.correlationKey, record.timestamp, v.elementId, v.elementInstanceKey,
        v.processInstanceKey, v.processDefinitionKey, v.bpmnProcessId, record.partitionId, v.tenantId,
      );
      return;
    case 'DELETED':
      sql.run(
        `UPDATE h_message_subscription SET state = 'DELETED', last_updated_date = ? WHERE element_instance_key = ? AND message_name = ?`,
        record.timestamp, v.elementInstanceKey, v.messageName,
      );
      return;
    case 'MIGRATED':
      sql.run(
        `UPDATE h_message_subscription SET state = 'MIGRATED', last_updated_date = ?, process_definition_key = ?, bpmn_process_id = ?,
           element_id = ? WHERE element_instance_key = ? AND message_name = ?`,
        record.timestamp, v.processDefinitionKey, v.bpmnProcessId, v.elementId, v.elementInstanceKey, v.messageName,
      );
      return;
    default:
  }
}

export function projectMessageStartCorrelation(record: ZenRecord, sql: Statements): void {
  if (record.intent !== 'CORRELATED') return;
  const v = record.value as MessageStartEventSubscriptionValue;
  sql.run(
    `INSERT INTO h_correlated_message (message_key, subscription_key, message_name, correlation_key, correlation_time, element_id,
       element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, partition_id, tenant_id)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    v.messageKey, record.key, v.messageName, v.correlationKey, record.timestamp, v.startEventId, v.processInstanceKey,
    v.processDefinitionKey, v.bpmnProcessId, record.partitionId, v.tenantId,
  );
}
