/**
 * Commands by key carry the client's authorized tenants (Zeebe's AuthInfo): an entity of a
 * tenant not among them is not found, in the words used for a missing one, and nothing of it
 * changes. A command without authorized tenants (the node's own work) may act on any tenant.
 */
import { describe, expect, it } from 'vitest';
import type { CommandResponse } from '../../src/engine/processing/types.js';
import type { ZenRecord } from '../../src/engine/records.js';
import { camundaUserTask, chain, end, model, oneTask, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const A = 'tenant-a';
const B = 'tenant-b';

function tenants(partitions = 1): EngineHarness {
  return new EngineHarness(partitions, { multiTenancy: true });
}

/** The rejection records written since `from` (an index into `h.written`). */
function rejectionsSince(h: EngineHarness, from: number): ZenRecord[] {
  return h.written.slice(from).filter((r) => r.recordType === 'COMMAND_REJECTION');
}

describe('tenants of commands by key', () => {
  it('a client of tenant A cannot complete, fail, throw for, or update B’s job: NOT_FOUND, and the job is untouched', async () => {
    const h = tenants();
    await h.as(B, () => h.deployProcess(oneTask('order', 'pack')));
    const pi = await h.as(B, () => h.createInstance('order'));
    const jobKey = h.jobKeyOf('task', pi);
    const before = structuredClone(h.partition().state.jobs.get(jobKey));
    const from = h.written.length;

    const asA = (fn: () => CommandResponse | null) => h.authorizedFor([A], fn);
    expectRejected(await asA(() => h.completeJob(jobKey)), 'NOT_FOUND', `Expected to complete job with key '${jobKey}', but no such job was found`);
    expectRejected(await asA(() => h.failJob(jobKey, 0)), 'NOT_FOUND', `Expected to fail job with key '${jobKey}', but no such job was found`);
    expectRejected(await asA(() => h.throwError(jobKey, 'oops')), 'NOT_FOUND', `Expected to throw an error for job with key '${jobKey}'`);
    expectRejected(await asA(() => h.updateJobRetries(jobKey, 5)), 'NOT_FOUND', `Expected to update retries of job with key '${jobKey}'`);
    expectRejected(await asA(() => h.updateJobTimeout(jobKey, 1000)), 'NOT_FOUND', `Expected to update the timeout of job with key '${jobKey}', but no such job was found`);
    expect(rejectionsSince(h, from).map((r) => `${r.valueType}:${r.intent}:${r.rejectionType}`)).toEqual([
      'JOB:COMPLETE:NOT_FOUND',
      'JOB:FAIL:NOT_FOUND',
      'JOB:THROW_ERROR:NOT_FOUND',
      'JOB:UPDATE_RETRIES:NOT_FOUND',
      'JOB:UPDATE_TIMEOUT:NOT_FOUND',
    ]);
    expect(h.partition().state.jobs.get(jobKey)).toEqual(before);

    // A client of A and B, and the node itself (no authorized tenants), may.
    expect((await h.authorizedFor([A, B], () => h.updateJobRetries(jobKey, 5)))?.ok).toBe(true);
    expect(h.completeJob(jobKey)?.ok).toBe(true);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a client of tenant A cannot cancel, modify, migrate, set variables in or resolve an incident of B’s instance', async () => {
    const h = tenants(2);
    const v1 = await h.as(B, () => h.deployProcess(oneTask('order', 'pack', { retries: '1' })));
    const v2 = await h.as(B, () => h.deployProcess(oneTask('order', 'pack')));
    expect(v2).not.toBe(v1);
    const pi = await h.as(B, () => h.createInstance('order', {}, 2));
    const taskKey = h.elementKeyOf('task', pi);
    h.failJob(h.jobKeyOf('task', pi), 0);
    const incidentKey = h.events('INCIDENT', 'CREATED')[0]!.key;
    const from = h.written.length;

    await h.authorizedFor([A], () => {
      expectRejected(h.cancelInstance(pi), 'NOT_FOUND', `Expected to cancel a process instance with key '${pi}', but no such process was found`);
      expectRejected(h.modifyInstance(pi, [{ elementId: 'end' }], [taskKey]), 'NOT_FOUND', `no process instance found with key '${pi}'`);
      expectRejected(h.migrateInstance(pi, v2, [['task', 'task']]), 'NOT_FOUND', `no process instance found with key '${pi}'`);
      expectRejected(h.setVariables(pi, { x: 1 }), 'NOT_FOUND', `Expected to update variables for element with key '${pi}', but no such element was found`);
      expectRejected(h.resolveIncident(incidentKey), 'NOT_FOUND', `Expected to resolve incident with key '${incidentKey}', but no such incident was found`);
    });
    expect(rejectionsSince(h, from).map((r) => r.valueType)).toEqual([
      'PROCESS_INSTANCE',
      'PROCESS_INSTANCE_MODIFICATION',
      'PROCESS_INSTANCE_MIGRATION',
      'VARIABLE_DOCUMENT',
      'INCIDENT',
    ]);
    expect(h.written.slice(from).filter((r) => r.recordType === 'EVENT')).toEqual([]);
    expect(h.isActive(pi)).toBe(true);

    // B's own client may.
    await h.authorizedFor([B], () => {
      expect(h.setVariables(pi, { x: 1 })?.ok).toBe(true);
      expect(h.cancelInstance(pi)?.ok).toBe(true);
    });
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a client of tenant A cannot assign, update or complete B’s user task', async () => {
    const h = tenants();
    await h.as(B, () => h.deployProcess(model('review', start(), camundaUserTask('approve'), end(), ...chain('start', 'approve', 'end'))));
    const pi = await h.as(B, () => h.createInstance('review'));
    const userTaskKey = h.userTaskKeyOf('approve', pi);
    await h.authorizedFor([A], () => {
      expectRejected(h.userTaskCommand('ASSIGN', userTaskKey, { assignee: 'mallory' }), 'NOT_FOUND', `Expected to assign user task with key '${userTaskKey}', but no such user task was found`);
      expectRejected(h.userTaskCommand('CLAIM', userTaskKey, { assignee: 'mallory' }), 'NOT_FOUND', `user task with key '${userTaskKey}', but no such user task was found`);
      expectRejected(h.userTaskCommand('UPDATE', userTaskKey, { changeset: { priority: 90 } }), 'NOT_FOUND', `user task with key '${userTaskKey}', but no such user task was found`);
      expectRejected(h.userTaskCommand('COMPLETE', userTaskKey, { variables: {} }), 'NOT_FOUND', `Expected to complete user task with key '${userTaskKey}', but no such user task was found`);
    });
    expect(h.partition().state.userTasks.get(userTaskKey)?.value.assignee).toBe('');
    expect((await h.authorizedFor([B], () => h.userTaskCommand('COMPLETE', userTaskKey, { variables: {} })))?.ok).toBe(true);
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });

  it('a client of tenant A cannot delete B’s process definition; the distributed deletion is not checked again', async () => {
    const h = tenants(2);
    const key = await h.as(B, () => h.deployProcess(oneTask('order', 'pack')));
    expectRejected(await h.authorizedFor([A], () => h.deleteResource(key)), 'NOT_FOUND', `Expected to delete resource but no resource found with key \`${key}\``);
    expect(h.events('RESOURCE_DELETION', 'DELETED')).toEqual([]);
    expect(h.partition(2).state.processes.get(key)).toBeDefined();
    expect((await h.authorizedFor([B], () => h.deleteResource(key)))?.ok).toBe(true);
    // Deleted on both partitions: the distributed command carried no client.
    expect(h.events('RESOURCE_DELETION', 'DELETED').map((r) => r.partitionId).sort()).toEqual([1, 2]);
    await expectReplayable(h);
  });
});
