/**
 * Compiles power-loss-shim.c with the machine's C compiler (gcc is always there: better-sqlite3
 * compiles from source) into a temporary directory named for the source's hash. Suites that need it
 * go through describeWithPowerLossShim: skipped, with the reason in their name, where it cannot
 * be built — except under CI (`CI=true`), where that fails the run instead.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRequiring } from '../requires.js';

const SOURCE = fileURLToPath(new URL('./power-loss-shim.c', import.meta.url));

let built: { library: string } | { error: string } | undefined;

/**
 * One build per version of the source, shared by the test processes of a run (and later runs):
 * compiled under a unique name, then renamed into place, so concurrent builds do not collide.
 */
function compile(): { library: string } | { error: string } {
  const source = readFileSync(SOURCE);
  const dir = join(tmpdir(), `zen-power-loss-shim-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`);
  const library = join(dir, 'power-loss-shim.so');
  if (existsSync(library)) return { library };
  mkdirSync(dir, { recursive: true });
  const building = join(dir, `.build-${process.pid}.so`);
  const errors: string[] = [];
  for (const cc of [process.env.CC, 'cc', 'gcc'].filter((c): c is string => Boolean(c))) {
    const run = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-o', building, SOURCE, '-ldl', '-pthread'], { encoding: 'utf8' });
    if (run.status === 0) {
      renameSync(building, library);
      return { library };
    }
    errors.push(`${cc}: ${run.error ? run.error.message : `exit ${run.status}\n${run.stderr}`}`);
  }
  rmSync(building, { force: true });
  return { error: `cannot compile ${SOURCE}:\n${errors.join('\n')}` };
}

/** The path of the compiled library; throws with the compiler's output if it cannot be built. */
export function powerLossShim(): string {
  built ??= compile();
  if ('error' in built) throw new Error(built.error);
  return built.library;
}

export function powerLossShimAvailable(): boolean {
  built ??= compile();
  return 'library' in built;
}

/** A suite that runs processes under the shim. */
export function describeWithPowerLossShim(name: string, body: () => void): void {
  describeRequiring(powerLossShimAvailable(), 'the power-loss shim (a C compiler)', name, body, () => ('error' in built! ? built.error : ''));
}
