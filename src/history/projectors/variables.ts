/** VARIABLE records → h_variable: each variable's current value (JSON text) in its scope. */
import type { VariableValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

export function projectVariable(record: ZenRecord, sql: Statements): void {
  const v = record.value as VariableValue;
  if (record.intent !== 'CREATED' && record.intent !== 'UPDATED' && record.intent !== 'MIGRATED') return;
  sql.run(
    `INSERT INTO h_variable (key, name, value, scope_key, process_instance_key, tenant_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    record.key, v.name, v.value, v.scopeKey, v.processInstanceKey, v.tenantId,
  );
}
