/**
 * The short chaos run (the long one is `npm run chaos`, see test/chaos/README.md): 3 etcd
 * members and 3 nodes under the mixed load, 12 faults of every kind this machine allows in
 * about two minutes (a node's own wall clock jumped among them, where libfaketime is there),
 * then the checker and the replica comparison. The seed is fixed; the
 * report (seed, fault log, figures, violations) is printed, and is the failure message.
 */
import { expect, it } from 'vitest';
import { describeWithEtcd } from '../support/etcd.js';
import { muteSdkStreamCancellations } from '../support/server-client.js';
import { formatReport, runChaos } from '../chaos/run.js';

const SEED = Number(process.env.ZEN_CHAOS_TEST_SEED ?? 20261206);

describeWithEtcd('chaos: faults of every kind under a mixed load', () => {
  muteSdkStreamCancellations();

  it('loses no acknowledged work, does nothing twice and keeps replicas identical', async () => {
    const report = await runChaos({ seed: SEED, faults: 12, minutes: 1.5, nodes: 3 });
    const text = formatReport(report);
    console.info(text);
    expect(report.violations, text).toEqual([]);
    expect(report.applied.length, text).toBeGreaterThanOrEqual(10);
    // Every kind the machine allows was injected at least once.
    expect(Object.keys(report.faultsByKind).sort(), text).toEqual([...report.capabilities.kinds].sort());
    // A node's own wall clock jumped (libfaketime), where the machine allows it, and the node saw it.
    if (report.capabilities.kinds.includes('node-clock-jump')) {
      const jumps = report.applied.filter((f) => f.planned.kind === 'node-clock-jump');
      expect(jumps.length, text).toBeGreaterThanOrEqual(1);
      expect(jumps.some((f) => f.notes.some((n) => /^clock [-+]\d+ s seen by node/.test(n) && !n.startsWith('clock +0 '))), text).toBe(true);
    }
    // The load was real: every shape acknowledged and checked, through the faults.
    expect(report.verdict.figures.instancesChecked, text).toBeGreaterThan(100);
    expect(report.verdict.figures.userTaskCompletionsAcked, text).toBeGreaterThan(5);
    expect(report.verdict.figures.messagesConfirmed, text).toBeGreaterThan(5);
  }, 480_000);
});
