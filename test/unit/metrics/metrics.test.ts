import { describe, expect, it } from 'vitest';
import { COMMIT_DURATION_BUCKETS, METRIC, ZenMetrics } from '../../../src/metrics/index.js';

/** Sample lines only (no # comments), as name{labels} → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function types(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

describe('ZenMetrics exposition', () => {
  it('exposes every counter under its exact name, typed counter, from zero', async () => {
    const metrics = new ZenMetrics();
    const p = metrics.partition(1);
    // Per-type series exist once a type has been seen; the other counters start at 0.
    p.commandProcessed('JOB');
    p.commandRejected('INVALID_STATE');
    const text = await metrics.collectPrometheus();
    const t = types(text);
    for (const name of [
      'zen_process_instances_created_total',
      'zen_process_instances_completed_total',
      'zen_element_instances_activated_total',
      'zen_jobs_activated_total',
      'zen_jobs_completed_total',
      'zen_jobs_failed_total',
      'zen_incidents_created_total',
      'zen_commands_processed_total',
      'zen_commands_rejected_total',
    ]) {
      expect(t.get(name), name).toBe('counter');
    }
    const s = samples(text);
    expect(s.get('zen_process_instances_created_total{partition="1"}')).toBe(0);
    expect(s.get('zen_jobs_failed_total{partition="1"}')).toBe(0);
    // No doubled suffix, no unit suffix, no OTel scope labels on series.
    expect(text).not.toContain('_total_total');
    expect(text).not.toContain('otel_scope');
    expect(text).not.toContain('# UNIT');
  });

  it('counts per partition and per value / rejection type', async () => {
    const metrics = new ZenMetrics();
    const p1 = metrics.partition(1);
    const p2 = metrics.partition(2);
    expect(metrics.partition(1)).toBe(p1);
    p1.processInstanceCreated();
    p1.processInstanceCreated(2);
    p1.processInstanceCompleted();
    p1.elementInstanceActivated(4);
    p2.jobsActivated(5);
    p2.jobCompleted();
    p2.jobFailed();
    p2.incidentCreated();
    p1.commandProcessed('PROCESS_INSTANCE_CREATION', 3);
    p1.commandProcessed('JOB');
    p1.commandProcessed('JOB');
    p1.commandRejected('NOT_FOUND');
    const s = samples(await metrics.collectPrometheus());
    expect(s.get('zen_process_instances_created_total{partition="1"}')).toBe(3);
    expect(s.get('zen_process_instances_completed_total{partition="1"}')).toBe(1);
    expect(s.get('zen_element_instances_activated_total{partition="1"}')).toBe(4);
    expect(s.get('zen_jobs_activated_total{partition="2"}')).toBe(5);
    expect(s.get('zen_jobs_completed_total{partition="2"}')).toBe(1);
    expect(s.get('zen_jobs_failed_total{partition="2"}')).toBe(1);
    expect(s.get('zen_incidents_created_total{partition="2"}')).toBe(1);
    expect(s.get('zen_commands_processed_total{partition="1",valueType="PROCESS_INSTANCE_CREATION"}')).toBe(3);
    expect(s.get('zen_commands_processed_total{partition="1",valueType="JOB"}')).toBe(2);
    expect(s.get('zen_commands_rejected_total{partition="1",rejectionType="NOT_FOUND"}')).toBe(1);
  });

  it('keeps counters cumulative across scrapes', async () => {
    const metrics = new ZenMetrics();
    const p = metrics.partition(1);
    p.jobCompleted();
    await metrics.collectPrometheus();
    p.jobCompleted();
    const s = samples(await metrics.collectPrometheus());
    expect(s.get('zen_jobs_completed_total{partition="1"}')).toBe(2);
  });

  it('exposes the commit-duration histogram with 0.1ms..1s buckets', async () => {
    const metrics = new ZenMetrics();
    const p = metrics.partition(1);
    p.batchCommitted(0.0003, 7);
    p.batchCommitted(0.02, 300);
    p.batchCommitted(3, 1);
    const text = await metrics.collectPrometheus();
    expect(types(text).get('zen_batch_commit_duration_seconds')).toBe('histogram');
    expect(types(text).get('zen_batch_size_commands')).toBe('histogram');
    const s = samples(text);
    const le = (name: string, bound: string) => s.get(`${name}_bucket{partition="1",le="${bound}"}`);
    expect(le('zen_batch_commit_duration_seconds', '0.0001')).toBe(0);
    expect(le('zen_batch_commit_duration_seconds', '0.0005')).toBe(1);
    expect(le('zen_batch_commit_duration_seconds', '0.025')).toBe(2);
    expect(le('zen_batch_commit_duration_seconds', '1')).toBe(2);
    expect(le('zen_batch_commit_duration_seconds', '+Inf')).toBe(3);
    expect(s.get('zen_batch_commit_duration_seconds_count{partition="1"}')).toBe(3);
    expect(s.get('zen_batch_commit_duration_seconds_sum{partition="1"}')).toBeCloseTo(3.0203);
    const bounds = [...text.matchAll(/^zen_batch_commit_duration_seconds_bucket\{partition="1",le="([^"]+)"\}/gm)].map((m) => m[1]);
    expect(bounds).toEqual([...COMMIT_DURATION_BUCKETS.map(String), '+Inf']);
    expect(le('zen_batch_size_commands', '10')).toBe(2);
    expect(le('zen_batch_size_commands', '500')).toBe(3);
    expect(s.get('zen_batch_size_commands_sum{partition="1"}')).toBe(308);
  });

  it('reports partition role and readiness from a callback, per partition', async () => {
    const metrics = new ZenMetrics();
    let role: 'LEADER' | 'FOLLOWER' | 'INACTIVE' = 'FOLLOWER';
    metrics.observePartition(1, () => ({ role, ready: role === 'LEADER' }));
    metrics.observePartition(2, () => ({ role: 'INACTIVE', ready: false }));
    let s = samples(await metrics.collectPrometheus());
    expect(s.get('zen_partition_role{partition="1"}')).toBe(1);
    expect(s.get('zen_partition_ready{partition="1"}')).toBe(0);
    expect(s.get('zen_partition_role{partition="2"}')).toBe(0);
    role = 'LEADER';
    s = samples(await metrics.collectPrometheus());
    expect(s.get('zen_partition_role{partition="1"}')).toBe(2);
    expect(s.get('zen_partition_ready{partition="1"}')).toBe(1);
  });

  it('lets components register gauges and unregister them', async () => {
    const metrics = new ZenMetrics();
    let pending = 3;
    let calls = 0;
    const off = metrics.observePendingRequests(() => (calls++, pending), { api: 'grpc' });
    metrics.registerGauge('zen_job_streams_open', 'Open job streams', (r) => r.observe(2));
    const text = await metrics.collectPrometheus();
    expect(types(text).get(METRIC.pendingRequests)).toBe('gauge');
    expect(samples(text).get('zen_pending_requests{api="grpc"}')).toBe(3);
    expect(samples(text).get('zen_job_streams_open')).toBe(2);
    pending = 7;
    expect(samples(await metrics.collectPrometheus()).get('zen_pending_requests{api="grpc"}')).toBe(7);
    off();
    await metrics.collectPrometheus();
    expect(calls).toBe(2);
  });

  it('refuses gauge names that clash or are not Prometheus names', () => {
    const metrics = new ZenMetrics();
    expect(() => metrics.registerGauge(METRIC.jobsCompleted, 'x', () => {})).toThrow(/already used/);
    expect(() => metrics.registerGauge('zen.bad-name', 'x', () => {})).toThrow(/not a valid Prometheus name/);
    metrics.registerGauge('zen_ok', 'one', () => {});
    expect(() => metrics.registerGauge('zen_ok', 'two', () => {})).toThrow(/another description/);
  });

  it('still answers when a gauge callback throws, and reports the error', async () => {
    const seen: unknown[] = [];
    const metrics = new ZenMetrics({ onCollectErrors: (errors) => seen.push(...errors) });
    metrics.partition(1).jobCompleted();
    metrics.registerGauge('zen_broken', 'throws', () => {
      throw new Error('broken gauge');
    });
    const s = samples(await metrics.collectPrometheus());
    expect(s.get('zen_jobs_completed_total{partition="1"}')).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('identifies the node in target_info', async () => {
    const metrics = new ZenMetrics({ serviceVersion: '1.2.3', nodeId: 'zen-0' });
    const text = await metrics.collectPrometheus();
    expect(text).toContain('target_info{service_name="zen",service_version="1.2.3",service_instance_id="zen-0"} 1');
  });
});
