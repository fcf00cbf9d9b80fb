/**
 * The history tables of user tasks, message subscriptions and correlations, and decisions
 * (ADR 010), kept apart from the first resources' so each resource's schema stays by itself.
 */
export function moreHistorySchema(db = 'main'): string {
  return `
  CREATE TABLE IF NOT EXISTS ${db}.h_user_task (
    key INTEGER PRIMARY KEY, state TEXT NOT NULL, name TEXT, assignee TEXT, candidate_groups TEXT NOT NULL,
    candidate_users TEXT NOT NULL, due_date INTEGER, follow_up_date INTEGER, form_key INTEGER,
    external_form_reference TEXT, custom_headers TEXT NOT NULL, priority INTEGER NOT NULL, element_id TEXT NOT NULL,
    element_instance_key INTEGER NOT NULL, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
    bpmn_process_id TEXT NOT NULL, process_definition_version INTEGER NOT NULL, creation_date INTEGER NOT NULL,
    completion_date INTEGER, tenant_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_user_task_instance ON h_user_task (process_instance_key);
  CREATE INDEX IF NOT EXISTS ${db}.h_user_task_state ON h_user_task (state, creation_date);

  CREATE TABLE IF NOT EXISTS ${db}.h_user_task_scope (
    user_task_key INTEGER NOT NULL, scope_key INTEGER NOT NULL, PRIMARY KEY (user_task_key, scope_key)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS ${db}.h_element_name (
    process_definition_key INTEGER NOT NULL, element_id TEXT NOT NULL, name TEXT NOT NULL,
    PRIMARY KEY (process_definition_key, element_id)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS ${db}.h_message_subscription (
    element_instance_key INTEGER NOT NULL, message_name TEXT NOT NULL, state TEXT NOT NULL, last_updated_date INTEGER NOT NULL,
    correlation_key TEXT NOT NULL, element_id TEXT NOT NULL, process_instance_key INTEGER NOT NULL,
    process_definition_key INTEGER NOT NULL, bpmn_process_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
    PRIMARY KEY (element_instance_key, message_name)
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_message_subscription_instance ON h_message_subscription (process_instance_key);

  CREATE TABLE IF NOT EXISTS ${db}.h_correlated_message (
    message_key INTEGER NOT NULL, subscription_key INTEGER NOT NULL, message_name TEXT NOT NULL, correlation_key TEXT NOT NULL,
    correlation_time INTEGER NOT NULL, element_id TEXT NOT NULL, element_instance_key INTEGER, process_instance_key INTEGER NOT NULL,
    process_definition_key INTEGER NOT NULL, bpmn_process_id TEXT NOT NULL, partition_id INTEGER NOT NULL, tenant_id TEXT NOT NULL,
    PRIMARY KEY (message_key, subscription_key)
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_correlated_message_instance ON h_correlated_message (process_instance_key);

  CREATE TABLE IF NOT EXISTS ${db}.h_decision_requirements (
    key INTEGER PRIMARY KEY, decision_requirements_id TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
    namespace TEXT NOT NULL, resource_name TEXT NOT NULL, resource TEXT NOT NULL, tenant_id TEXT NOT NULL
  );

  CREATE TABLE IF NOT EXISTS ${db}.h_decision_definition (
    key INTEGER PRIMARY KEY, decision_id TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
    decision_requirements_id TEXT NOT NULL, decision_requirements_key INTEGER NOT NULL, tenant_id TEXT NOT NULL
  );

  CREATE TABLE IF NOT EXISTS ${db}.h_decision_instance (
    id TEXT PRIMARY KEY, evaluation_key INTEGER NOT NULL, state TEXT NOT NULL, evaluation_date INTEGER NOT NULL,
    evaluation_failure TEXT, decision_id TEXT NOT NULL, decision_key INTEGER NOT NULL, decision_name TEXT NOT NULL,
    decision_version INTEGER NOT NULL, decision_type TEXT NOT NULL, result TEXT NOT NULL, evaluated_inputs TEXT NOT NULL,
    matched_rules TEXT NOT NULL, process_definition_key INTEGER, process_instance_key INTEGER, element_instance_key INTEGER,
    tenant_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_decision_instance_instance ON h_decision_instance (process_instance_key);
  -- Decisions evaluated outside any instance (EvaluateDecision), oldest first: what retention deletes of them.
  CREATE INDEX IF NOT EXISTS ${db}.h_decision_instance_standalone ON h_decision_instance (evaluation_date, evaluation_key)
    WHERE process_instance_key IS NULL;

  CREATE TABLE IF NOT EXISTS ${db}.h_batch_operation (
    key INTEGER PRIMARY KEY, operation_type TEXT NOT NULL, state TEXT NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER,
    total_count INTEGER NOT NULL, completed_count INTEGER NOT NULL, failed_count INTEGER NOT NULL
  );

  CREATE TABLE IF NOT EXISTS ${db}.h_batch_operation_item (
    batch_operation_key INTEGER NOT NULL, item_key INTEGER NOT NULL, operation_type TEXT NOT NULL, process_instance_key INTEGER NOT NULL,
    state TEXT NOT NULL, processed_date INTEGER, error_message TEXT, PRIMARY KEY (batch_operation_key, item_key)
  );
  CREATE INDEX IF NOT EXISTS ${db}.h_batch_operation_item_instance ON h_batch_operation_item (process_instance_key);
`;
}

export const MORE_HISTORY_TABLES = [
  'h_user_task',
  'h_user_task_scope',
  'h_element_name',
  'h_message_subscription',
  'h_correlated_message',
  'h_decision_requirements',
  'h_decision_definition',
  'h_decision_instance',
  'h_batch_operation',
  'h_batch_operation_item',
] as const;
