#!/usr/bin/env node
// `npm run chaos -- [--seed N] [--minutes M] [--faults F] [--nodes 3..5] [--kinds K,K...]`: the long
// fault-injection run (test/chaos/README.md); --kinds keeps to those fault kinds (default: every
// kind the machine allows), e.g. `--kinds node-clock-jump,etcd-kill` to hunt one kind of trouble. It runs test/chaos/long-run.chaos.ts through vitest (the suite is
// TypeScript on the test support code) with the settings in ZEN_CHAOS_* variables; the report
// (seed, faults, figures, violations) is printed at the end, and the exit code is vitest's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const usage = 'usage: npm run chaos -- [--seed <n>] [--minutes <m>] [--faults <n>] [--nodes <3..5>] [--kinds <kind,kind...>]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      seed: { type: 'string' },
      minutes: { type: 'string', default: '25' },
      faults: { type: 'string', default: '100' },
      nodes: { type: 'string', default: '3' },
      kinds: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  console.error(`${err.message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const checks = [
  ['seed', values.seed, (v) => v === undefined || /^\d+$/.test(v), 'a non-negative integer'],
  ['minutes', values.minutes, (v) => Number(v) > 0, 'a positive number'],
  ['faults', values.faults, (v) => /^\d+$/.test(v) && Number(v) >= 1, 'a positive integer'],
  ['nodes', values.nodes, (v) => ['3', '4', '5'].includes(v), '3, 4 or 5'],
  // The names are checked against the suite's kinds when the run starts (test/chaos/run.ts).
  ['kinds', values.kinds, (v) => v === undefined || /^[a-z-]+(,[a-z-]+)*$/.test(v), 'fault kinds separated by commas'],
];
for (const [name, value, ok, what] of checks) {
  if (!ok(value)) {
    console.error(`--${name} must be ${what}, got ${JSON.stringify(value)}\n${usage}`);
    process.exit(2);
  }
}
const seed = values.seed ?? String(Math.floor(Math.random() * 0x7fffffff));
const kindsArg = values.kinds === undefined ? '' : ` --kinds ${values.kinds}`;
console.log(`chaos: seed ${seed}, ${values.faults} faults over ~${values.minutes} min, ${values.nodes} nodes${values.kinds ? `, kinds ${values.kinds}` : ''}`);
const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('npx', ['vitest', 'run', '--config', 'test/chaos/vitest.config.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ZEN_CHAOS_SEED: seed, ZEN_CHAOS_MINUTES: values.minutes, ZEN_CHAOS_FAULTS: values.faults, ZEN_CHAOS_NODES: values.nodes, ...(values.kinds ? { ZEN_CHAOS_KINDS: values.kinds } : {}) },
});
console.log(`chaos: seed ${seed} ${result.status === 0 ? 'passed' : 'FAILED'} (replay: npm run chaos -- --seed ${seed} --faults ${values.faults} --minutes ${values.minutes} --nodes ${values.nodes}${kindsArg})`);
process.exit(result.status ?? 1);
