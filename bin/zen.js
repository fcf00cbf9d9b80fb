#!/usr/bin/env -S node --max-semi-space-size=4
// Thin launcher: the CLI lives in the compiled output so `npx zen` needs no TypeScript at run time.
//
// The first line caps V8's young generation at 4 MB per semi-space (it otherwise grows to
// 16 MB). Cluster benchmark, alternated: the same throughput and latency, about 30 MB less
// peak RSS per node; 1 MB tripled the time spent in scavenges. It has to be a
// command-line flag: V8 sizes the heap before any script runs, so v8.setFlagsFromString here
// would change nothing. `node bin/zen.js` runs without it; `node --max-semi-space-size=N
// bin/zen.js` picks another size.

import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
