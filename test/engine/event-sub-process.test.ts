import { describe, expect, it } from 'vitest';
import { chain, end, error, errorEnd, eventSubProcess, flow, message, model, noneThrow, parallelGateway, serviceTask, start, subProcess, timerBoundary, timerDefinitionXml } from '../fixtures/bpmn-builder.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';

const MINUTE = 60_000;

function jobTypes(h: EngineHarness): string[] {
  return h.events<{ type: string }>('JOB', 'CREATED').map((r) => r.value.type);
}

describe('event sub-process', () => {
  it('an interrupting timer start ends the main flow and runs the event sub-process; the process completes after it', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('work', 'work'),
        end(),
        ...chain('start', 'work', 'end'),
        eventSubProcess('timeout', 'timeout_start', timerDefinitionXml('duration', 'PT5M'), [serviceTask('escalate', 'escalate'), end('timeout_end'), ...chain('timeout_start', 'escalate', 'timeout_end')]),
      ),
    );
    const pi = h.createInstance('p');
    const [timer] = h.events<{ elementInstanceKey: bigint; targetElementId: string }>('TIMER', 'CREATED');
    expect(timer!.value).toMatchObject({ elementInstanceKey: pi, targetElementId: 'timeout_start' });
    h.advanceTime(5 * MINUTE);
    const stream = h.elementStreamOf(pi);
    expect(stream.slice(stream.indexOf('work:ELEMENT_TERMINATING'), stream.indexOf('work:ELEMENT_TERMINATING') + 8)).toEqual([
      'work:ELEMENT_TERMINATING',
      'work:ELEMENT_TERMINATED',
      'timeout:ELEMENT_ACTIVATING',
      'timeout:ELEMENT_ACTIVATED',
      'timeout_start:ELEMENT_ACTIVATING',
      'timeout_start:ELEMENT_ACTIVATED',
      'timeout_start:ELEMENT_COMPLETING',
      'timeout_start:ELEMENT_COMPLETED',
    ]);
    expect(jobTypes(h)).toEqual(['work', 'escalate']);
    h.completeJob(h.jobKeyOf('escalate'));
    expect(h.elementStreamOf(pi).slice(-4)).toEqual(['timeout:ELEMENT_COMPLETING', 'timeout:ELEMENT_COMPLETED', 'p:ELEMENT_COMPLETING', 'p:ELEMENT_COMPLETED']);
    await expectReplayable(h);
  });

  it('a non-interrupting message start fires for every message while the process runs; the main flow goes on', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        message('m', 'note', '=orderId'),
        start(),
        serviceTask('work', 'work'),
        end(),
        ...chain('start', 'work', 'end'),
        eventSubProcess('notes', 'note_start', '<bpmn:messageEventDefinition messageRef="m"/>', [serviceTask('record', 'record'), end('note_end'), ...chain('note_start', 'record', 'note_end')], false),
      ),
    );
    const pi = h.createInstance('p', { orderId: 'o-1' });
    h.publishMessage('note', 'o-1', { text: 'a' });
    h.publishMessage('note', 'o-1', { text: 'b' });
    expect(jobTypes(h)).toEqual(['work', 'record', 'record']);
    expect(h.isActive(h.elementKeyOf('work'))).toBe(true);
    h.completeJob(h.jobKeyOf('work'));
    // The main flow ended; the process waits for the running event sub-processes.
    expect(h.isActive(pi)).toBe(true);
    for (const job of h.events<{ type: string }>('JOB', 'CREATED').filter((r) => r.value.type === 'record')) h.completeJob(job.key);
    expect(h.isActive(pi)).toBe(false);
    expect(h.events('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETING')).toHaveLength(1);
    await expectReplayable(h);
  });

  it('a non-interrupting timer cycle fires again and again while the scope runs', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        serviceTask('work', 'work'),
        end(),
        ...chain('start', 'work', 'end'),
        eventSubProcess('reminders', 'remind', timerDefinitionXml('cycle', 'R/PT1M'), [serviceTask('ping', 'ping'), end('ping_end'), ...chain('remind', 'ping', 'ping_end')], false),
      ),
    );
    const pi = h.createInstance('p');
    h.advanceTime(MINUTE);
    h.advanceTime(MINUTE);
    h.advanceTime(MINUTE);
    expect(jobTypes(h).filter((t) => t === 'ping')).toHaveLength(3);
    for (const job of h.events<{ type: string }>('JOB', 'CREATED').filter((r) => r.value.type === 'ping')) h.completeJob(job.key);
    h.completeJob(h.jobKeyOf('work'));
    expect(h.isActive(pi)).toBe(false);
    expect(h.partition().state.timers.table.size).toBe(0);
    await expectReplayable(h);
  });

  it('an error start catches an error thrown in its scope; inside a sub-process the sub-process then goes on', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        error('e', 'FAILED'),
        start(),
        subProcess('sub', [
          start('s1'),
          serviceTask('risky', 'risky'),
          end('e1'),
          ...chain('s1', 'risky', 'e1'),
          eventSubProcess('on_error', 'error_start', '<bpmn:errorEventDefinition errorRef="e"/>', [serviceTask('repair', 'repair'), end('repaired'), ...chain('error_start', 'repair', 'repaired')]),
        ]),
        serviceTask('after', 'after'),
        end(),
        ...chain('start', 'sub', 'after', 'end'),
      ),
    );
    const pi = h.createInstance('p');
    h.throwError(h.jobKeyOf('risky'), 'FAILED', 'boom', { cause: 'disk' });
    expect(jobTypes(h)).toEqual(['risky', 'repair']);
    expect(h.events('INCIDENT', 'CREATED')).toHaveLength(0);
    h.completeJob(h.jobKeyOf('repair'));
    expect(h.elementStreamOf(pi)).toContain('sub:ELEMENT_COMPLETED');
    expect(jobTypes(h)).toEqual(['risky', 'repair', 'after']);
    expect(h.variablesOf(pi)).toEqual({ cause: 'disk' });
    await expectReplayable(h);
  });

  it('an error end event caught by an interrupting event sub-process stops paths of the same fork that have not started yet', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        error('e', 'BOOM'),
        start(),
        parallelGateway('fork'),
        errorEnd('boom', 'e'),
        noneThrow('n1'),
        serviceTask('late', 'late'),
        end(),
        flow('start', 'fork'),
        flow('fork', 'boom'),
        ...chain('fork', 'n1', 'late', 'end'),
        eventSubProcess('handler', 'handler_start', '<bpmn:errorEventDefinition errorRef="e"/>', [serviceTask('handle', 'handle'), end('handled'), ...chain('handler_start', 'handle', 'handled')]),
      ),
    );
    const pi = h.createInstance('p');
    // The flow to n1 was taken with the one to the error end event, but n1 never starts.
    expect(h.elementStreamOf(pi)).not.toContain('n1:ELEMENT_ACTIVATING');
    expect(jobTypes(h)).toEqual(['handle']);
    h.completeJob(h.jobKeyOf('handle'));
    expect(h.isActive(pi)).toBe(false);
    expect(h.elementStreamOf(pi).slice(-2)).toEqual(['p:ELEMENT_COMPLETING', 'p:ELEMENT_COMPLETED']);
    await expectReplayable(h);
  });

  it('an interrupting event sub-process in a sub-process leaves the boundary events on the sub-process in place', async () => {
    const h = new EngineHarness();
    await h.deployProcess(
      model(
        'p',
        start(),
        subProcess('sub', [
          start('s1'),
          serviceTask('work', 'work'),
          end('e1'),
          ...chain('s1', 'work', 'e1'),
          eventSubProcess('inner_timeout', 'inner_start', timerDefinitionXml('duration', 'PT1M'), [serviceTask('cleanup', 'cleanup'), end('cleanup_end'), ...chain('inner_start', 'cleanup', 'cleanup_end')]),
        ]),
        timerBoundary('deadline', 'sub', 'duration', 'PT10M'),
        end(),
        end('too_late'),
        ...chain('start', 'sub', 'end'),
        flow('deadline', 'too_late'),
      ),
    );
    const pi = h.createInstance('p');
    h.advanceTime(MINUTE);
    expect(jobTypes(h)).toEqual(['work', 'cleanup']);
    // The boundary timer on the sub-process still runs while the event sub-process does.
    expect(h.partition().state.timers.table.size).toBe(1);
    h.advanceTime(9 * MINUTE);
    expect(h.elementStreamOf(pi)).toContain('too_late:ELEMENT_COMPLETED');
    expect(h.isActive(pi)).toBe(false);
    await expectReplayable(h);
  });
});

