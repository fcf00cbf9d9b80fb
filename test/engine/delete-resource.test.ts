import { describe, expect, it } from 'vitest';
import type { ProcessValue } from '../../src/engine/records.js';
import { chain, end, message, messageStart, model, serviceTask, start, timerStart } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const MINUTE = 60_000;

function versioned(version: string): string {
  return model('p', start(), serviceTask('work', version), end(), ...chain('start', 'work', 'end'));
}

function startedVersions(h: EngineHarness, partitionId?: number): number[] {
  return h
    .events<{ bpmnElementType: string; version: number }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', partitionId)
    .filter((r) => r.value.bpmnElementType === 'PROCESS')
    .map((r) => r.value.version);
}

describe('DeleteResource (process definitions)', () => {
  it('deletes a definition nothing runs on: DELETING then DELETED, and it is found no more', async () => {
    const h = new EngineHarness();
    const key = await h.deployProcess(versioned('v1'));
    const response = h.deleteResource(key);
    expect(response?.ok).toBe(true);
    expect(h.eventStream(1, ['RESOURCE_DELETION', 'PROCESS']).slice(1)).toEqual([
      'RESOURCE_DELETION:DELETING',
      'PROCESS:DELETING',
      'PROCESS:DELETED',
      'RESOURCE_DELETION:DELETED',
    ]);
    const deleted = h.events<ProcessValue>('PROCESS', 'DELETED')[0]!;
    expect(deleted.key).toBe(key);
    expect(deleted.value).toMatchObject({ bpmnProcessId: 'p', version: 1, processDefinitionKey: key, resource: '' });
    expect(h.partition().state.processes.get(key)).toBeUndefined();
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'p' }), 'NOT_FOUND', "process ID 'p'");
    expectRejected(h.createInstanceRaw({ processDefinitionKey: key }), 'NOT_FOUND', `key '${key}'`);
    await expectReplayable(h);
  });

  it('refuses keys it does not know, and a definition already deleted', async () => {
    const h = new EngineHarness();
    const key = await h.deployProcess(versioned('v1'));
    expectRejected(h.deleteResource(123n), 'NOT_FOUND', 'Expected to delete resource but no resource found with key `123`');
    h.deleteResource(key);
    expectRejected(h.deleteResource(key), 'NOT_FOUND', `no resource found with key \`${key}\``);
    await expectReplayable(h);
  });

  it('instances running on a deleted version go on; new ones take the previous version; the next deployment is a new version', async () => {
    const h = new EngineHarness();
    await h.deployProcess(versioned('v1'));
    const v2 = await h.deployProcess(versioned('v2'));
    const running = h.createInstance('p');
    expect(h.deleteResource(v2)?.ok).toBe(true);
    expect(h.events('PROCESS', 'DELETING')).toHaveLength(1);
    expect(h.events('PROCESS', 'DELETED')).toHaveLength(0);
    expectRejected(h.createInstanceRaw({ processDefinitionKey: v2 }), 'NOT_FOUND');
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'p', version: 2 }), 'NOT_FOUND');
    h.createInstance('p');
    expect(startedVersions(h)).toEqual([2, 1]);

    // The instance on version 2 runs to its end; then the definition goes for good.
    h.completeJob(h.jobKeyOf('work', running));
    expect(h.isActive(running)).toBe(false);
    const deleted = h.events<ProcessValue>('PROCESS', 'DELETED');
    expect(deleted.map((r) => r.key)).toEqual([v2]);
    expect(h.partition().state.processes.get(v2)).toBeUndefined();

    // Version numbers are not handed out twice.
    const v3 = await h.deployProcess(versioned('v2'));
    expect(h.partition().state.processes.get(v3)!.value.version).toBe(3);
    await expectReplayable(h);
  });

  it('a cancelled instance releases a deleted definition too', async () => {
    const h = new EngineHarness();
    const key = await h.deployProcess(versioned('v1'));
    const pi = h.createInstance('p');
    h.deleteResource(key);
    expect(h.partition().state.processes.get(key)?.deleting).toBe(true);
    h.cancelInstance(pi);
    expect(h.events('PROCESS', 'DELETED').map((r) => r.key)).toEqual([key]);
    await expectReplayable(h);
  });

  it('timer start events move to the version that is the latest again', async () => {
    const h = new EngineHarness();
    const v1 = await h.deployProcess(model('p', timerStart('tick', 'cycle', 'R/PT1M'), end(), ...chain('tick', 'end')));
    const v2 = await h.deployProcess(model('p', timerStart('tick', 'cycle', 'R/PT10M'), end(), ...chain('tick', 'end')));
    h.advanceTime(MINUTE);
    h.deleteResource(v2);
    const timers = [...h.partition().state.timers.table.values()];
    expect(timers.map((t) => t.value.processDefinitionKey)).toEqual([v1]);
    expect(timers[0]!.value.dueDate).toBe(h.now + MINUTE);
    h.advanceTime(MINUTE);
    expect(startedVersions(h)).toEqual([1]);
    // Deleting the last version leaves no start timer at all.
    h.deleteResource(v1);
    expect(h.partition().state.timers.table.size).toBe(0);
    h.advanceTime(10 * MINUTE);
    expect(startedVersions(h)).toEqual([1]);
    await expectReplayable(h);
  });

  it('message start events follow the latest version left', async () => {
    const h = new EngineHarness();
    const starting = (work: string) => model('p', messageStart('go', 'msg'), serviceTask('work', work), end(), message('msg', 'go', '=key'), ...chain('go', 'work', 'end'));
    const v1 = await h.deployProcess(starting('v1'));
    const v2 = await h.deployProcess(starting('v2'));
    h.deleteResource(v2);
    h.publishMessage('go', 'a');
    expect(startedVersions(h)).toEqual([1]);
    h.deleteResource(v1);
    h.publishMessage('go', 'b');
    expect(startedVersions(h)).toEqual([1]);
    await expectReplayable(h);
  });

  it('is distributed to every partition and acknowledged; each deletes its copy when its own instances end', async () => {
    const h = new EngineHarness(3);
    const key = await h.deployProcess(versioned('v1'));
    const onTwo = h.createInstance('p', {}, 2);
    expect(h.deleteResource(key)?.ok).toBe(true);
    expect(h.events('COMMAND_DISTRIBUTION', 'DISTRIBUTING', 1).filter((r) => (r.value as { valueType: string }).valueType === 'RESOURCE_DELETION')).toHaveLength(2);
    expect(h.partition(1).state.distributions.size).toBe(0);
    expect(h.eventStream(3, ['PROCESS']).slice(-2)).toEqual(['PROCESS:DELETING', 'PROCESS:DELETED']);
    expect(h.eventStream(2, ['PROCESS']).slice(-1)).toEqual(['PROCESS:DELETING']);
    expectRejected(h.createInstanceRaw({ bpmnProcessId: 'p' }, {}, 2), 'NOT_FOUND');
    // A re-sent deletion is only acknowledged again.
    const before = h.records(2).length;
    h.process(2, { valueType: 'RESOURCE_DELETION', intent: 'DELETE', key: h.events('RESOURCE_DELETION', 'DELETED', 1)[0]!.key, value: { resourceKey: key, tenantId: '<default>' } });
    expect(h.records(2)).toHaveLength(before);
    h.completeJob(h.jobKeyOf('work', onTwo));
    expect(h.eventStream(2, ['PROCESS']).slice(-1)).toEqual(['PROCESS:DELETED']);
    await expectReplayable(h);
  });

  it('a deletion that reaches a partition before the deployment waits for it there: unacknowledged, it is sent again', async () => {
    const h = new EngineHarness(2);
    const key = await h.deployProcess(versioned('v1'));
    h.autoDeliver = false;
    h.deleteResource(key);
    const sent = h.outbox.splice(0);
    expect(sent.map((c) => `${c.partitionId}:${c.valueType}`)).toEqual(['2:RESOURCE_DELETION']);
    const deletion = sent[0]!;
    // A definition partition 2 has not received yet: nothing written, nothing acknowledged.
    const notYetThere = (1n << 51n) + 999_999n;
    const before = h.records(2).length;
    h.process(2, { valueType: 'RESOURCE_DELETION', intent: 'DELETE', key: deletion.key, value: { resourceKey: notYetThere, tenantId: '<default>' } });
    expect(h.records(2)).toHaveLength(before);
    expect(h.outbox).toHaveLength(0);
    // The real one deletes and acknowledges; once deleted, a re-send is acknowledged again.
    h.process(2, { valueType: deletion.valueType, intent: deletion.intent, key: deletion.key, value: deletion.value });
    expect(h.eventStream(2, ['PROCESS']).slice(-2)).toEqual(['PROCESS:DELETING', 'PROCESS:DELETED']);
    h.process(2, { valueType: deletion.valueType, intent: deletion.intent, key: deletion.key, value: deletion.value });
    expect(h.outbox.map((c) => `${c.partitionId}:${c.valueType}:${c.intent}`)).toEqual(['1:COMMAND_DISTRIBUTION:ACKNOWLEDGE', '1:COMMAND_DISTRIBUTION:ACKNOWLEDGE']);
    h.deliver();
    expect(h.partition(1).state.distributions.size).toBe(0);
    await expectReplayable(h);
  });
});
