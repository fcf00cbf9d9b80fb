import { describe, expect, it } from 'vitest';
import type { HistoryCleanupValue } from '../../src/engine/records.js';
import { chain, end, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { dumpState, EngineHarness, expectRejected, expectReplayable } from '../support/engine-harness.js';

const TASK = model('p', start(), serviceTask('a', 'a'), end(), ...chain('start', 'a', 'end'));

function cleanUp(h: EngineHarness, value: Partial<HistoryCleanupValue>) {
  return h.process(1, { valueType: 'HISTORY', intent: 'CLEAN_UP', key: -1n, value });
}

describe('HISTORY CLEAN_UP', () => {
  it('writes CLEANED_UP with the cutoff and limit it was given and leaves the engine state as it was', async () => {
    const h = new EngineHarness();
    await h.deployProcess(TASK);
    const pi = h.createInstance('p');
    const before = dumpState(h.partition().state);

    const response = cleanUp(h, { cutoff: h.now - 1000, limit: 50 });
    expect(response).toEqual({ ok: true, key: -1n, value: { cutoff: h.now - 1000, limit: 50 } });
    const [event] = h.events<HistoryCleanupValue>('HISTORY', 'CLEANED_UP');
    expect(event).toMatchObject({ key: -1n, timestamp: h.now, value: { cutoff: h.now - 1000, limit: 50 } });
    expect(dumpState(h.partition().state)).toEqual(before);
    // The instance goes on untouched.
    h.completeJob(h.jobKeyOf('a', pi));
    expect(h.elementStreamOf(pi).at(-1)).toBe('p:ELEMENT_COMPLETED');
    await expectReplayable(h);
  });

  it.each([
    [{ cutoff: -1, limit: 10 }, 'cutoff'],
    [{ cutoff: 1.5, limit: 10 }, 'cutoff'],
    [{ limit: 10 }, 'cutoff'],
    [{ cutoff: 1000, limit: 0 }, 'limit to be from 1 to 10000'],
    [{ cutoff: 1000, limit: 10_001 }, 'limit'],
  ])('rejects %j as INVALID_ARGUMENT', async (value, fragment) => {
    const h = new EngineHarness();
    expectRejected(cleanUp(h, value), 'INVALID_ARGUMENT', fragment);
    expect(h.events('HISTORY', 'CLEANED_UP')).toHaveLength(0);
    await expectReplayable(h);
  });
});
