/** ActivatedJob to its wire form, and the batching of ActivateJobs responses. */
import type { ActivatedJob } from '../../node/api.js';
import { int64, tenant, toJson } from './encode.js';
import type { ActivatedJobMessage } from './wire.js';

/** Per-job framing and fixed fields, on top of the strings we measure. */
const JOB_OVERHEAD_BYTES = 128;

export function encodeJob(job: ActivatedJob): ActivatedJobMessage {
  return {
    key: int64(job.key),
    type: job.type,
    processInstanceKey: int64(job.processInstanceKey),
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: int64(job.processDefinitionKey),
    elementId: job.elementId,
    elementInstanceKey: int64(job.elementInstanceKey),
    customHeaders: toJson(job.customHeaders),
    worker: job.worker,
    retries: job.retries,
    deadline: int64(job.deadline),
    variables: toJson(job.variables),
    tenantId: tenant(job.tenantId),
  };
}

/**
 * Splits jobs into responses that each stay under maxMessageSize, as Zeebe's gateway does:
 * clients refuse larger messages too (gRPC's default receive limit is 4 MiB), which would lose
 * the whole batch. A single job over the limit still goes out alone; dropping it would strand it
 * until its timeout.
 */
export function batchBySize(jobs: readonly ActivatedJobMessage[], maxBytes: number): ActivatedJobMessage[][] {
  const batches: ActivatedJobMessage[][] = [];
  let batch: ActivatedJobMessage[] = [];
  let size = 0;
  for (const job of jobs) {
    const jobSize = estimateSize(job);
    if (batch.length > 0 && size + jobSize > maxBytes) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(job);
    size += jobSize;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export function estimateSize(job: ActivatedJobMessage): number {
  return (
    JOB_OVERHEAD_BYTES +
    Buffer.byteLength(job.variables) +
    Buffer.byteLength(job.customHeaders) +
    Buffer.byteLength(job.type) +
    Buffer.byteLength(job.bpmnProcessId) +
    Buffer.byteLength(job.elementId) +
    Buffer.byteLength(job.worker) +
    Buffer.byteLength(job.tenantId)
  );
}
