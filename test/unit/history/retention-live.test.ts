/** History retention read at every look (ADR 016): 0 skips the round, a later value is used by the next one. */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryRetention } from '../../../src/partition/history-retention.js';
import type { HistoryCleanupValue } from '../../../src/engine/records.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let retention: HistoryRetention | null = null;
afterEach(() => retention?.stop());

describe('HistoryRetention with a live retention', () => {
  it('writes nothing while the retention is 0 and uses the value in force at each look', async () => {
    let retentionMs = 0;
    const cutoffs: number[] = [];
    let expiredLeft = 0;
    retention = new HistoryRetention({
      retentionMs: () => retentionMs,
      intervalMs: 10,
      clock: () => 1_000_000,
      submit: async (value: HistoryCleanupValue) => {
        cutoffs.push(value.cutoff);
        expiredLeft = 0;
        return { ok: true } as never;
      },
      expired: async () => expiredLeft > 0,
      logger: pino({ level: 'silent' }),
    });
    expiredLeft = 1;
    retention.start();
    await sleep(60);
    expect(cutoffs).toEqual([]);
    retentionMs = 400_000;
    await sleep(60);
    expect(cutoffs).toEqual([600_000]);
  });
});
