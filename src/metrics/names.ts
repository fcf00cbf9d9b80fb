/**
 * Exposition names, exactly as Prometheus scrapes them. Instruments are created under these
 * names; the serializer keeps a counter name that already ends in `_total`, and we set no OTel
 * unit so no unit suffix or `# UNIT` line can be added. Durations are in seconds, as the name says.
 */
export const METRIC = {
  processInstancesCreated: 'zen_process_instances_created_total',
  processInstancesCompleted: 'zen_process_instances_completed_total',
  processInstancesTerminated: 'zen_process_instances_terminated_total',
  elementInstancesActivated: 'zen_element_instances_activated_total',
  elementInstanceTransitions: 'zen_element_instance_transitions_total',
  jobsActivated: 'zen_jobs_activated_total',
  jobsCompleted: 'zen_jobs_completed_total',
  jobsFailed: 'zen_jobs_failed_total',
  jobEvents: 'zen_job_events_total',
  incidentsCreated: 'zen_incidents_created_total',
  incidentsResolved: 'zen_incidents_resolved_total',
  timersCreated: 'zen_timers_created_total',
  timersTriggered: 'zen_timers_triggered_total',
  timersCanceled: 'zen_timers_canceled_total',
  messagesPublished: 'zen_messages_published_total',
  messagesCorrelated: 'zen_messages_correlated_total',
  messagesExpired: 'zen_messages_expired_total',
  commandsProcessed: 'zen_commands_processed_total',
  recordsWritten: 'zen_records_written_total',
  commandsRejected: 'zen_commands_rejected_total',
  batchCommitDuration: 'zen_batch_commit_duration_seconds',
  batchSize: 'zen_batch_size_commands',
  partitionRole: 'zen_partition_role',
  partitionReady: 'zen_partition_ready',
  pendingRequests: 'zen_pending_requests',
  // Partition state on the leader, read at scrape time.
  processInstancesActive: 'zen_process_instances_active',
  incidentsActive: 'zen_incidents_active',
  jobsActivatable: 'zen_jobs_activatable',
  timersPending: 'zen_timers_pending',
  timersDue: 'zen_timers_due',
  partitionBacklog: 'zen_partition_backlog_commands',
  // API
  httpRequests: 'zen_http_requests_total',
  httpRequestDuration: 'zen_http_request_duration_seconds',
  grpcRequests: 'zen_grpc_requests_total',
  grpcRequestDuration: 'zen_grpc_request_duration_seconds',
  // Runtime
  eventLoopDelayMean: 'zen_event_loop_delay_mean_seconds',
  eventLoopDelayP99: 'zen_event_loop_delay_p99_seconds',
  eventLoopDelayMax: 'zen_event_loop_delay_max_seconds',
  heapUsed: 'zen_process_heap_used_bytes',
  residentMemory: 'zen_process_resident_memory_bytes',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Label names. camelCase like Zeebe's own labels (`partition`, `valueType`), so dashboards port over. */
export const LABEL = {
  partition: 'partition',
  valueType: 'valueType',
  rejectionType: 'rejectionType',
  elementType: 'elementType',
  transition: 'transition',
  jobType: 'jobType',
  action: 'action',
  method: 'method',
  route: 'route',
  status: 'status',
  code: 'code',
} as const;

/** 0.5 ms … 30 s: most API calls answer within a commit; long polls and awaited results last seconds. */
export const REQUEST_DURATION_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** 0.1 ms … 1 s: a group commit is an SQLite transaction plus fsync, usually 0.2–20 ms. */
export const COMMIT_DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

/** Up to the largest allowed maxBatchSize (10000). */
export const BATCH_SIZE_BUCKETS: readonly number[] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

/** Numeric encoding of a partition role for zen_partition_role. */
export const PARTITION_ROLE_VALUE = { INACTIVE: 0, FOLLOWER: 1, LEADER: 2 } as const;

/** Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
