/**
 * How the fuzz targets that run a real node check its data against replay
 * (test/support/data-replay.ts): at the end of each node property, and in the long run also
 * every `REPLAY_EVERY_CASES` cases. The node keeps the last 10,000 log entries; a case writes
 * less than one on average (BPMN deployments about 0.9, gRPC 0.1, REST less), so checks this
 * far apart find the entries they need.
 */
import { expect } from 'vitest';
import { ReplayCheck, type ReplaySummary } from '../support/data-replay.js';
import type { ZenServer } from '../support/server-process.js';
import type { CaseCounter } from './fuzz-support.js';

export const REPLAY_EVERY_CASES = 2000;

/** A replay check for a fuzz node (one partition, the `zen start` default). */
export function nodeReplayCheck(server: ZenServer): ReplayCheck {
  return new ReplayCheck(server.dataDir, 1);
}

/** In the long run: checks the node (stop, check, start) when the counter reaches another `REPLAY_EVERY_CASES`. */
export async function replayCheckIfDue(replay: ReplayCheck, server: ZenServer, cases: CaseCounter, afterRestart?: () => void): Promise<void> {
  if (cases.total % REPLAY_EVERY_CASES !== 0) return;
  report(cases.target, await replay.checkNode(server));
  afterRestart?.();
}

/** The long run says what each check replayed: the entries per case show how far apart checks may be. */
function report(target: string, summary: ReplaySummary): void {
  if (process.env.FUZZ_RUNS) console.log(`${target}: replay check applied ${summary.applied} log entries (${summary.appliedTotal} in all)`);
}

/** The final check of a node property: something was replayed, and the state is not empty. */
export async function finalReplayCheck(replay: ReplayCheck, server: ZenServer, cases: CaseCounter): Promise<ReplaySummary> {
  const summary = await replay.checkNode(server);
  report(cases.target, summary);
  expect(summary.appliedTotal, 'log entries the replay check applied').toBeGreaterThan(0);
  return summary;
}
