/**
 * The long chaos run, started by `npm run chaos` (scripts/chaos.mjs) through
 * test/chaos/vitest.config.ts — never part of `npm test`. Its settings come from the
 * environment the script sets: ZEN_CHAOS_SEED, ZEN_CHAOS_FAULTS, ZEN_CHAOS_MINUTES, ZEN_CHAOS_NODES,
 * and ZEN_CHAOS_KINDS (comma-separated; absent: every kind the machine allows).
 */
import { expect, it } from 'vitest';
import { describeWithEtcd } from '../support/etcd.js';
import { muteSdkStreamCancellations } from '../support/server-client.js';
import { randomSeed } from './prng.js';
import { formatReport, runChaos, validateOptions } from './run.js';
import type { FaultKind } from './schedule.js';

const options = {
  seed: process.env.ZEN_CHAOS_SEED ? Number(process.env.ZEN_CHAOS_SEED) : randomSeed(),
  faults: Number(process.env.ZEN_CHAOS_FAULTS ?? 100),
  minutes: Number(process.env.ZEN_CHAOS_MINUTES ?? 25),
  nodes: Number(process.env.ZEN_CHAOS_NODES ?? 3),
  ...(process.env.ZEN_CHAOS_KINDS ? { kinds: process.env.ZEN_CHAOS_KINDS.split(',') as FaultKind[] } : {}),
};
validateOptions(options);

describeWithEtcd(`chaos long run, seed ${options.seed}`, () => {
  muteSdkStreamCancellations();

  it(`${options.faults} faults over ~${options.minutes} min on ${options.nodes} nodes`, async () => {
    const report = await runChaos({ ...options, progress: (line) => console.info(line) });
    const text = formatReport(report);
    console.info(text);
    expect(report.violations, text).toEqual([]);
  }, (options.minutes * 3 + 20) * 60_000);
});
