#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled output so `npx zen` needs no TypeScript at run time.
//
// V8's young generation is left at its default (it grows to 16 MB per semi-space). Capping it at
// 4 MB (`NODE_OPTIONS=--max-semi-space-size=4`) saves about 30 MB of peak RSS per cluster node
// at the same throughput and latency (ADR 020). It cannot be set from here: V8 sizes the heap
// before any script runs, so v8.setFlagsFromString changes nothing. Nor on the #! line: `env -S`
// is missing from busybox (Alpine, node:alpine images).

import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
