#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled output so `npx zen` needs no TypeScript at run time.
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
