export { ZenMetrics, type ZenMetricsOptions, type PartitionStatus } from './zen-metrics.js';
export { PartitionMetrics, RecordTally, type PartitionSnapshot, type CounterId } from './partition-metrics.js';
export { apiMetrics, type ApiMetrics } from './api-metrics.js';
export { loopDelaySeconds, observeRuntime } from './runtime-metrics.js';
export type { GaugeObserver } from './gauges.js';
export {
  METRIC,
  LABEL,
  PARTITION_ROLE_VALUE,
  PROMETHEUS_CONTENT_TYPE,
  COMMIT_DURATION_BUCKETS,
  BATCH_SIZE_BUCKETS,
  REQUEST_DURATION_BUCKETS,
  type MetricName,
} from './names.js';
