/**
 * What every fuzz target shares: how many runs (`FUZZ_RUNS`, per target), replaying one failure
 * (`FUZZ_SEED` and `FUZZ_PATH`, as fast-check prints them), counting the cases each target ran
 * (appended to `FUZZ_REPORT` for `npm run fuzz`), and checks on a real node between cases.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ZenServer } from '../support/server-process.js';

/** Runs of one property: `FUZZ_RUNS` when set (the long run), else the small CI default. */
export function fuzzRuns(ciDefault: number): number {
  const configured = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : ciDefault;
}

/** A test's time limit: the CI default, or none to speak of for the long run. */
export const FUZZ_TIMEOUT_MS = process.env.FUZZ_RUNS ? 12 * 3_600_000 : 60_000;

/** fast-check parameters: the run count, and a seed and path to replay when given. */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED;
  const path = process.env.FUZZ_PATH;
  return {
    numRuns,
    ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}),
    ...(path !== undefined && path !== '' ? { path } : {}),
    // The counterexample is printed whole: a shrunk document is what a regression test pins.
    verbose: 1,
    endOnFailure: process.env.FUZZ_SHRINK === undefined,
  };
}

/** Cases run per target, reported at the end of the file when `FUZZ_REPORT` names a file. */
export class CaseCounter {
  private cases = 0;
  /** From the first case to the last: node start-up and restarts are not the target's time. */
  private first = 0;
  private last = 0;

  constructor(readonly target: string) {}

  count(n = 1): void {
    const now = Date.now();
    if (this.cases === 0) this.first = now;
    this.last = now;
    this.cases += n;
  }

  get total(): number {
    return this.cases;
  }

  report(): void {
    const file = process.env.FUZZ_REPORT;
    if (!file) return;
    appendFileSync(file, `${JSON.stringify({ target: this.target, cases: this.cases, ms: this.last - this.first })}\n`);
  }
}

/** Peak resident memory of a process (Linux /proc; null elsewhere), in MB. */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The node survived: still running, ready, and it logged no error (INTERNAL is logged as one). */
export async function expectNodeHealthy(server: ZenServer): Promise<void> {
  expect(server.running, 'the node process is still running').toBe(true);
  expect((await server.get('/ready')).status).toBe(200);
  const errors = server.errorLogs();
  expect(errors, `error log lines:\n${errors.map((line) => JSON.stringify(line)).join('\n')}`).toEqual([]);
}

/** A bound well above a node's working set: a case that pushes past it is a memory spike. */
export const PEAK_RSS_LIMIT_MB = 1536;

/** Every failed REST answer is a problem document. */
export function expectProblemShape(status: number, contentType: string | null, text: string, what: string): void {
  expect(contentType ?? '', `${what}: content type`).toContain('application/problem+json');
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body, what).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
}
