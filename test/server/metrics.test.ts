/**
 * The engine counters of a real `zen start` process move by exactly what the instances did:
 * timers, messages, incidents, cancellation, per job type and per element type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixtures, scrapeMetrics, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-timer.bpmn', 'server-message-catch.bpmn', 'server-one-task.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('engine metrics on /metrics', () => {
  it('count timers, messages, incidents and terminations', async () => {
    const before = await scrapeMetrics(server);
    const moved = (after: Map<string, number>, name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);

    await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-timer', variables: {}, requestTimeout: 20_000 });

    await zeebe.createProcessInstance({ bpmnProcessId: 'server-message-catch', variables: { orderId: 'o-1' } });
    await zeebe.publishMessage({ name: 'payment-received', correlationKey: 'o-1', variables: {}, timeToLive: 0 });

    const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} });
    const jobs = await zeebe.activateJobs({ type: 'server-work', maxJobsToActivate: 1, timeout: 60_000, worker: 'metrics-test', requestTimeout: 5_000 });
    expect(jobs).toHaveLength(1);
    await zeebe.failJob({ jobKey: jobs[0]!.key, retries: 0, errorMessage: 'no', retryBackOff: 0 });
    const withIncident = await waitFor('the incident', async () => {
      const s = await scrapeMetrics(server);
      return moved(s, 'zen_incidents_created_total') === 1 ? s : undefined;
    });
    expect(moved(withIncident, 'zen_incidents_active')).toBe(1);
    await zeebe.cancelProcessInstance(created.processInstanceKey);

    const after = await waitFor('the counters', async () => {
      const s = await scrapeMetrics(server);
      return moved(s, 'zen_process_instances_terminated_total') === 1 && moved(s, 'zen_messages_correlated_total') === 1 ? s : undefined;
    });
    expect(moved(after, 'zen_timers_created_total')).toBe(1);
    expect(moved(after, 'zen_timers_triggered_total')).toBe(1);
    expect(moved(after, 'zen_messages_published_total')).toBe(1);
    expect(moved(after, 'zen_process_instances_created_total')).toBe(3);
    expect(moved(after, 'zen_process_instances_completed_total')).toBe(2);
    expect(moved(after, 'zen_jobs_failed_total')).toBe(1);
    expect(moved(after, 'zen_process_instances_active')).toBe(0);
    expect(after.get('zen_grpc_requests_total')).toBeGreaterThanOrEqual(7);
  });

  it('labels job events by job type and element transitions by element type', async () => {
    const { body } = await server.get('/metrics');
    expect(body).toMatch(/zen_job_events_total\{partition="\d+",jobType="server-work",action="created"\} [1-9]/);
    expect(body).toMatch(/zen_job_events_total\{partition="\d+",jobType="server-work",action="failed"\} 1/);
    expect(body).toMatch(/zen_element_instance_transitions_total\{partition="\d+",elementType="INTERMEDIATE_CATCH_EVENT",transition="completed"\} [1-9]/);
    expect(body).toMatch(/zen_element_instance_transitions_total\{partition="\d+",elementType="SERVICE_TASK",transition="terminated"\} 1/);
    expect(body).toMatch(/zen_grpc_requests_total\{method="CreateProcessInstance",code="OK"\} [1-9]/);
  });
});
