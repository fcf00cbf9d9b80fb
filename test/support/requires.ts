/**
 * Suites that need something real outside npm (etcd, the zbctl binary). Where it is missing
 * they are skipped, with the reason in the suite's name — except under CI (`CI=true`), where a
 * missing dependency fails the run: CI must never go green without running them.
 */
import { describe, it } from 'vitest';

/** `detail` says why it is missing (e.g. a compiler's output), for the failure under CI. */
export function describeRequiring(available: boolean, what: string, name: string, body: () => void, detail?: () => string): void {
  if (available) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it(`needs ${what}`, () => {
        throw new Error(`${what} is missing, and CI must run this suite (.ci/run installs what the tests need)${detail ? `: ${detail()}` : ''}`);
      });
    });
  } else {
    // Skipped on purpose: the reason is in the name, and CI=true turns this into a failure.
    describe.skip(`${name} (skipped: ${what} is not installed)`, body);
  }
}
