/**
 * JOB and JOB_BATCH records → h_job. States as Camunda's job search names them: CREATED until
 * COMPLETED, FAILED, ERROR_THROWN, TIMED_OUT, RETRIES_UPDATED, CANCELED or MIGRATED.
 */
import type { JobBatchValue, JobValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

const STATE_OF: Readonly<Record<string, string>> = {
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
  ERROR_THROWN: 'ERROR_THROWN',
  TIMED_OUT: 'TIMED_OUT',
  RETRIES_UPDATED: 'RETRIES_UPDATED',
  CANCELED: 'CANCELED',
  MIGRATED: 'MIGRATED',
  RECURRED_AFTER_BACKOFF: 'CREATED',
  YIELDED: 'CREATED',
};
const ENDS = new Set(['COMPLETED', 'ERROR_THROWN', 'CANCELED']);

export function projectJob(record: ZenRecord, sql: Statements): void {
  const v = record.value as JobValue;
  if (record.intent === 'CREATED') {
    sql.run(
      `INSERT INTO h_job (key, type, worker, state, kind, listener_event_type, retries, error_message, error_code, deadline,
         custom_headers, process_instance_key, process_definition_key, bpmn_process_id, element_id, element_instance_key,
         tenant_id, creation_time)
       VALUES (?, ?, '', 'CREATED', ?, ?, ?, '', '', NULL, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      record.key, v.type, v.jobKind ?? 'BPMN_ELEMENT', v.jobListenerEventType ?? 'UNSPECIFIED', v.retries,
      JSON.stringify(v.customHeaders ?? {}), v.processInstanceKey, v.processDefinitionKey, v.bpmnProcessId, v.elementId,
      v.elementInstanceKey, v.tenantId, record.timestamp,
    );
    return;
  }
  const state = STATE_OF[record.intent];
  if (state === undefined) return;
  sql.run(
    `UPDATE h_job SET state = ?, retries = ?, error_message = ?, error_code = ?, worker = CASE WHEN ? = '' THEN worker ELSE ? END,
       end_time = ? WHERE key = ?`,
    state, v.retries, v.errorMessage ?? '', v.errorCode ?? '', v.worker ?? '', v.worker ?? '',
    ENDS.has(state) ? record.timestamp : null, record.key,
  );
}

export function projectJobBatch(record: ZenRecord, sql: Statements): void {
  if (record.intent !== 'ACTIVATED') return;
  const v = record.value as JobBatchValue;
  v.jobKeys.forEach((key, i) => {
    const job = v.jobs[i];
    sql.run(`UPDATE h_job SET worker = ?, deadline = ?, state = 'CREATED' WHERE key = ?`, v.worker, job?.deadline ?? null, key);
  });
}
