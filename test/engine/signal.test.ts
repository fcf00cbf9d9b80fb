import { describe, expect, it } from 'vitest';
import { chain, end, eventSubProcess, flow, model, serviceTask, signal, signalBoundary, signalEvent, start } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable, partitionOf } from '../support/engine-harness.js';

function instancesOf(h: EngineHarness, bpmnProcessId: string): bigint[] {
  return h.events<{ bpmnElementType: string; bpmnProcessId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING')
    .filter((r) => r.value.bpmnElementType === 'PROCESS' && r.value.bpmnProcessId === bpmnProcessId)
    .map((r) => r.key);
}

describe('signals', () => {
  it('a broadcast reaches waiting catch events on every partition, and starts one instance per signal start process', async () => {
    const h = new EngineHarness(3);
    await h.deploy(
      { name: 'wait.bpmn', xml: model('wait', signal('s', 'go'), start(), signalEvent('catch', 'catch', 's'), end(), ...chain('start', 'catch', 'end')) },
      { name: 'starter.bpmn', xml: model('starter', signal('s', 'go'), signalEvent('started', 'start', 's'), serviceTask('work', 'work'), end(), ...chain('started', 'work', 'end')) },
    );
    const waiting = [1, 2, 3].map((p) => h.createInstance('wait', {}, p));
    expect(waiting.map(partitionOf)).toEqual([1, 2, 3]);
    expect(h.events('SIGNAL_SUBSCRIPTION', 'CREATED')).toHaveLength(3);
    const response = h.broadcastSignal('go', { reason: 'now' }, 2);
    expect(response?.ok).toBe(true);
    for (const pi of waiting) expect(h.isActive(pi), `instance ${pi}`).toBe(false);
    // Every partition fired it once; the start event started one instance, where the broadcast was taken.
    expect([1, 2, 3].map((p) => h.events('SIGNAL', 'BROADCASTED', p).length)).toEqual([1, 1, 1]);
    const started = instancesOf(h, 'starter');
    expect(started.map(partitionOf)).toEqual([2]);
    expect(h.variablesOf(started[0]!)).toEqual({ reason: 'now' });
    expect(h.events('SIGNAL_SUBSCRIPTION', 'DELETED')).toHaveLength(3);
    await expectReplayable(h);
  });

  it('a re-sent distribution fires the signal only once on the receiving partition', async () => {
    const h = new EngineHarness(2);
    await h.deployProcess(model('wait', signal('s', 'go'), start(), serviceTask('task', 't'), signalBoundary('b', 'task', 's', { interrupting: false }), end(), end('e2'), ...chain('start', 'task', 'end'), flow('b', 'e2')));
    h.createInstance('wait', {}, 2);
    h.autoDeliver = false;
    h.broadcastSignal('go', {}, 1);
    const distributed = h.outbox.splice(0).find((c) => c.valueType === 'SIGNAL')!;
    for (let i = 0; i < 2; i++) h.process(2, { valueType: distributed.valueType, intent: distributed.intent, key: distributed.key, value: distributed.value });
    h.autoDeliver = true;
    h.deliver();
    expect(h.events('SIGNAL', 'BROADCASTED', 2)).toHaveLength(1);
    expect(h.events<{ elementId: string }>('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', 2).filter((r) => r.value.elementId === 'b')).toHaveLength(1);
    // The originating partition heard back and stopped re-sending.
    expect(h.partition(1).state.distributions.size).toBe(0);
    await expectReplayable(h);
  });

  it('a signal throw event broadcasts with its input mappings as variables; an interrupting boundary and an event sub-process catch it', async () => {
    const h = new EngineHarness();
    await h.deploy(
      { name: 'thrower.bpmn', xml: model('thrower', signal('s', 'stop-all'), start(), signalEvent('shout', 'throw', 's'), end(), ...chain('start', 'shout', 'end')).replace('<bpmn:intermediateThrowEvent id="shout">', '<bpmn:intermediateThrowEvent id="shout"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;maintenance&quot;" target="why"/></zeebe:ioMapping></bpmn:extensionElements>') },
      { name: 'worker.bpmn', xml: model('worker', signal('s', 'stop-all'), start(), serviceTask('task', 't'), signalBoundary('stopped', 'task', 's'), end(), end('was_stopped'), ...chain('start', 'task', 'end'), flow('stopped', 'was_stopped')) },
      {
        name: 'esp.bpmn',
        xml: model('esp', signal('s', 'stop-all'), start(), serviceTask('long', 'long'), end(), ...chain('start', 'long', 'end'), eventSubProcess('on_stop', 'stop_start', '<bpmn:signalEventDefinition signalRef="s"/>', [end('stop_end'), flow('stop_start', 'stop_end')])),
      },
    );
    const worker = h.createInstance('worker');
    const esp = h.createInstance('esp');
    h.createInstance('thrower');
    const [broadcast] = h.events<{ signalName: string; variables: Record<string, unknown> }>('SIGNAL', 'BROADCASTED');
    expect(broadcast!.value).toMatchObject({ signalName: 'stop-all', variables: { why: 'maintenance' } });
    expect(h.elementStreamOf(worker)).toContain('was_stopped:ELEMENT_COMPLETED');
    expect(h.elementStreamOf(esp)).toContain('stop_end:ELEMENT_COMPLETED');
    expect(h.isActive(worker)).toBe(false);
    expect(h.isActive(esp)).toBe(false);
    expect(h.partition().state.signals.subscriptions.size).toBe(0);
    await expectReplayable(h);
  });
});
