/**
 * The append pipeline's bookkeeping with the log scripted: what each entry is told when groups
 * answer out of order, fail for sure, or fail with their outcome unknown.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LogAppender } from '../../../src/cluster/partition/log-appender.js';
import { EMPTY_HEAD, type HeadMark } from '../../../src/cluster/partition/log-format.js';
import { AppendOutcomeUnknownError, type AppendOutcome, FencedError, ReplicatedLog } from '../../../src/cluster/partition/replicated-log.js';
import type { RawLogEntry } from '../../../src/storage/log-entry.js';

interface Call {
  readonly first: number;
  readonly count: number;
  readonly previous: HeadMark;
  readonly token: string;
  answer(outcome: 'committed' | 'behind' | Error): void;
}

function scriptedLog(): { log: ReplicatedLog; calls: Call[] } {
  const calls: Call[] = [];
  const log = new ReplicatedLog(null as never, 'test', 1, pino({ level: 'silent' }));
  log.appendGroup = (entries, _fence, previous, token) =>
    new Promise((resolve, reject) => {
      const answer = (o: 'committed' | 'behind' | Error) => {
        if (o instanceof Error) reject(o);
        else resolve(o === 'committed' ? ({ outcome: 'committed', storedBytes: entries.map(() => 1) } as AppendOutcome) : { outcome: 'behind' });
      };
      calls.push({ first: entries[0]!.index, count: entries.length, previous, token, answer });
    });
  return { log, calls };
}

const entry = (index: number): RawLogEntry => ({ index, firstPosition: index, lastPosition: index, keyCounter: 0n, data: new Uint8Array(8) });
const fence = { key: 'k', createRevision: '1' };
const tick = () => new Promise((r) => setTimeout(r, 0));

function outcomes(appender: LogAppender, count: number) {
  const seen: Array<string | null> = Array.from({ length: count }, () => null);
  const order: number[] = [];
  for (let i = 1; i <= count; i++) {
    appender.append(entry(i)).then(
      () => {
        seen[i - 1] = 'committed';
        order.push(i);
      },
      (err: { outcomeUnknown?: boolean }) => {
        seen[i - 1] = err.outcomeUnknown ? 'unknown' : 'not committed';
        order.push(i);
      },
    );
  }
  return { seen, order };
}

describe('log append pipeline', () => {
  it('sends several groups, each after the head of the one before, and answers them in order', async () => {
    const { log, calls } = scriptedLog();
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 3, groupSize: () => 1 });
    const { seen, order } = outcomes(appender, 4);
    await tick();
    expect(calls.map((c) => c.first)).toEqual([1, 2, 3]);
    expect(calls[1]!.previous).toEqual({ index: 1, position: 1, token: calls[0]!.token });
    calls[2]!.answer('committed');
    await tick();
    // Group 3 committed, so 1 and 2 did (it was conditioned on them), whatever they answer.
    expect(order).toEqual([1, 2, 3]);
    expect(calls.map((c) => c.first)).toEqual([1, 2, 3, 4]);
    calls[3]!.answer('committed');
    await tick();
    expect(seen).toEqual(['committed', 'committed', 'committed', 'committed']);
  });

  it('sends a group that found the head behind again once the group before it has landed', async () => {
    const { log, calls } = scriptedLog();
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 2, groupSize: () => 1 });
    const { seen } = outcomes(appender, 2);
    await tick();
    calls[1]!.answer('behind');
    await tick();
    expect(calls).toHaveLength(2);
    calls[0]!.answer('committed');
    await tick();
    expect(calls).toHaveLength(3);
    expect(calls[2]).toMatchObject({ first: 2, token: calls[1]!.token });
    calls[2]!.answer('committed');
    await tick();
    expect(seen).toEqual(['committed', 'committed']);
  });

  it('refuses everything after a group that certainly did not land, and sends nothing more', async () => {
    const { log, calls } = scriptedLog();
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 2, groupSize: () => 1 });
    const { seen } = outcomes(appender, 4);
    await tick();
    calls[0]!.answer(new FencedError('deposed'));
    await tick();
    expect(seen).toEqual(['not committed', 'not committed', 'not committed', 'not committed']);
    expect(calls).toHaveLength(2);
    await expect(appender.append(entry(5))).rejects.toBeInstanceOf(FencedError);
  });

  it('holds a group whose outcome is unknown until the groups after it answer: a later commit proves it committed', async () => {
    const { log, calls } = scriptedLog();
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 2, groupSize: () => 1 });
    const { seen } = outcomes(appender, 2);
    await tick();
    calls[0]!.answer(new AppendOutcomeUnknownError('deadline exceeded'));
    await tick();
    expect(seen).toEqual([null, null]);
    calls[1]!.answer('committed');
    await tick();
    expect(seen).toEqual(['committed', 'committed']);
  });

  it('reports a group whose outcome stays unknown, and every group after it, as unknown', async () => {
    const { log, calls } = scriptedLog();
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 2, groupSize: () => 1 });
    const { seen } = outcomes(appender, 3);
    await tick();
    calls[0]!.answer(new AppendOutcomeUnknownError('deadline exceeded'));
    calls[1]!.answer('behind');
    await tick();
    await tick();
    expect(seen).toEqual(['unknown', 'unknown', 'not committed']);
  });

  it('stops before sending when the leadership can no longer be confirmed', async () => {
    const { log, calls } = scriptedLog();
    let leading = true;
    const appender = new LogAppender(log, fence, EMPTY_HEAD, {
      maxInFlight: 1,
      groupSize: () => 1,
      checkLeadership: () => {
        if (!leading) throw new FencedError('lease not confirmed');
      },
    });
    const { seen } = outcomes(appender, 2);
    await tick();
    leading = false;
    calls[0]!.answer('committed');
    await tick();
    expect(seen).toEqual(['committed', 'not committed']);
    expect(calls).toHaveLength(1);
  });

  it('with a gap, holds the next group until the gap has passed since the last one started, and sends what queued meanwhile together', async () => {
    const { log, calls } = scriptedLog();
    const clock = { now: 1000 };
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 1, minGapMs: 20, now: () => clock.now });
    const { seen } = outcomes(appender, 1);
    await tick();
    expect(calls.map((c) => c.first)).toEqual([1]);
    for (let i = 2; i <= 4; i++) void appender.append(entry(i)).catch(() => {});
    clock.now += 5;
    calls[0]!.answer('committed');
    await tick();
    // Landed 5 ms after it started: entries 2 to 4 wait for the rest of the gap.
    expect(seen).toEqual(['committed']);
    expect(calls).toHaveLength(1);
    clock.now += 15;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls.map((c) => [c.first, c.count])).toEqual([
      [1, 1],
      [2, 3],
    ]);
    expect(calls[1]!.previous.index).toBe(1);
    calls[1]!.answer('committed');
    await tick();
  });

  it('without a gap, sends the next group as soon as the one in flight lands', async () => {
    const { log, calls } = scriptedLog();
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 1, now: () => 0 });
    outcomes(appender, 1);
    await tick();
    void appender.append(entry(2)).catch(() => {});
    calls[0]!.answer('committed');
    await tick();
    expect(calls.map((c) => c.first)).toEqual([1, 2]);
    calls[1]!.answer('committed');
    await tick();
  });

  it('asks a gap function at every send: a gap that comes on counts from the last send, one that goes off holds nothing', async () => {
    const { log, calls } = scriptedLog();
    const clock = { now: 1000 };
    const gap = { ms: 0 };
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 1, minGapMs: () => gap.ms, now: () => clock.now });
    outcomes(appender, 1);
    await tick();
    void appender.append(entry(2)).catch(() => {});
    clock.now += 4;
    calls[0]!.answer('committed');
    await tick();
    // No gap: entry 2 went as soon as entry 1 landed.
    expect(calls.map((c) => c.first)).toEqual([1, 2]);
    gap.ms = 10;
    void appender.append(entry(3)).catch(() => {});
    clock.now += 4;
    calls[1]!.answer('committed');
    await tick();
    // The gap came on: entry 2 started 4 ms ago, so entry 3 waits.
    expect(calls).toHaveLength(2);
    gap.ms = 0;
    await new Promise((r) => setTimeout(r, 15));
    expect(calls.map((c) => c.first)).toEqual([1, 2, 3]);
    calls[2]!.answer('committed');
    await tick();
  });

  it('says how long the gap still holds the next group', async () => {
    const { log, calls } = scriptedLog();
    const clock = { now: 1000 };
    const appender = new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 1, minGapMs: 20, now: () => clock.now });
    expect(appender.holdMs(), 'nothing sent yet').toBe(0);
    outcomes(appender, 1);
    await tick();
    clock.now += 5;
    expect(appender.holdMs()).toBe(15);
    clock.now += 20;
    expect(appender.holdMs()).toBe(0);
    calls[0]!.answer('committed');
    await tick();
    expect(new LogAppender(log, fence, EMPTY_HEAD, { maxInFlight: 1 }).holdMs(), 'without a gap').toBe(0);
  });
});

