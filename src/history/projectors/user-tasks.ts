/**
 * USER_TASK records → h_user_task, with Camunda's states: a transition's -ING event shows it
 * (CLAIMING as ASSIGNING: Camunda has no CLAIMING), its -ED event or a denial returns to CREATED
 * with the task as the record has it, COMPLETED and CANCELED end it. The element's name comes
 * from the deployed process (h_element_name), as the runtime's task has it.
 */
import type { ProcessValue, UserTaskValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

const SHOWN: Readonly<Record<string, string>> = {
  ASSIGNING: 'ASSIGNING',
  CLAIMING: 'ASSIGNING',
  UPDATING: 'UPDATING',
  COMPLETING: 'COMPLETING',
  CANCELING: 'CANCELING',
  ASSIGNMENT_DENIED: 'CREATED',
  UPDATE_DENIED: 'CREATED',
  COMPLETION_DENIED: 'CREATED',
};
/** Events after which the record holds the task as it now is. */
const SETTLED = new Set(['CREATED', 'ASSIGNED', 'UPDATED', 'COMPLETED', 'CANCELED']);

const dateOrNull = (text: string): number | null => {
  if (text === '') return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
};

export function projectUserTask(record: ZenRecord, sql: Statements): void {
  const v = record.value as UserTaskValue;
  if (record.intent === 'CREATING') {
    sql.run(
      `INSERT INTO h_user_task (key, state, name, assignee, candidate_groups, candidate_users, due_date, follow_up_date, form_key,
         external_form_reference, custom_headers, priority, element_id, element_instance_key, process_instance_key,
         process_definition_key, bpmn_process_id, process_definition_version, creation_date, tenant_id)
       VALUES (?, 'CREATING', (SELECT name FROM h_element_name WHERE process_definition_key = ? AND element_id = ?), NULL,
         ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      record.key, v.processDefinitionKey, v.elementId, JSON.stringify(v.candidateGroupsList), JSON.stringify(v.candidateUsersList),
      dateOrNull(v.dueDate), dateOrNull(v.followUpDate), v.formKey > 0n ? v.formKey : null,
      v.externalFormReference === '' ? null : v.externalFormReference, JSON.stringify(v.customHeaders ?? {}), v.priority,
      v.elementId, v.elementInstanceKey, v.processInstanceKey, v.processDefinitionKey, v.bpmnProcessId,
      v.processDefinitionVersion, v.creationTimestamp || record.timestamp, v.tenantId,
    );
    // The scopes whose variables are the task's: its element instance and those around it.
    sql.run(
      `INSERT OR IGNORE INTO h_user_task_scope (user_task_key, scope_key)
       WITH RECURSIVE scope(key) AS (
         SELECT ? UNION SELECT e.flow_scope_key FROM h_element_instance e JOIN scope ON e.key = scope.key WHERE e.flow_scope_key IS NOT NULL
       ) SELECT ?, key FROM scope`,
      v.elementInstanceKey, record.key,
    );
    return;
  }
  if (SETTLED.has(record.intent)) {
    const ended = record.intent === 'COMPLETED' || record.intent === 'CANCELED';
    sql.run(
      `UPDATE h_user_task SET state = ?, assignee = ?, candidate_groups = ?, candidate_users = ?, due_date = ?, follow_up_date = ?,
         priority = ?, completion_date = ? WHERE key = ?`,
      ended ? record.intent : 'CREATED', v.assignee === '' ? null : v.assignee, JSON.stringify(v.candidateGroupsList),
      JSON.stringify(v.candidateUsersList), dateOrNull(v.dueDate), dateOrNull(v.followUpDate), v.priority,
      ended ? record.timestamp : null, record.key,
    );
    return;
  }
  const state = SHOWN[record.intent];
  if (state !== undefined) sql.run('UPDATE h_user_task SET state = ? WHERE key = ?', state, record.key);
}

const USER_TASK_TAG = /<(?:[\w-]+:)?userTask\b[^>]*>/g;

/** The names of a deployed process's user tasks, read when the process is (see projectUserTask). */
export function projectUserTaskNames(record: ZenRecord, sql: Statements): void {
  const v = record.value as ProcessValue;
  if (record.intent === 'DELETED') {
    sql.run('DELETE FROM h_element_name WHERE process_definition_key = ?', v.processDefinitionKey);
    return;
  }
  if (record.intent !== 'CREATED') return;
  for (const match of v.resource.matchAll(USER_TASK_TAG)) {
    const id = /\sid="([^"]*)"/.exec(match[0])?.[1];
    const name = /\sname="([^"]*)"/.exec(match[0])?.[1];
    if (id === undefined || name === undefined) continue;
    sql.run(
      'INSERT OR IGNORE INTO h_element_name (process_definition_key, element_id, name) VALUES (?, ?, ?)',
      v.processDefinitionKey, unescapeXml(id), unescapeXml(name),
    );
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}
