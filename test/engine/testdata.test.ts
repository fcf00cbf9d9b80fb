/**
 * Data-driven engine scenarios: every file in testdata/ is a model, commands and the record
 * stream each command is expected to produce (see test/support/scenario-driver.ts for the
 * commands, test/support/record-lines.ts for the line format). After an engine change that
 * is meant to change the stream, `REWRITE=1 npx vitest run test/engine/testdata.test.ts`
 * writes the actual output into the files; review the diff before committing it. A file
 * whose first line is `# skip: <reason>` records a known bug and is skipped.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCase, parseDataFile, printDataFile } from '../support/datadriven.js';
import { EngineHarness, expectReplayable } from '../support/engine-harness.js';
import { ScenarioDriver } from '../support/scenario-driver.js';

const DIR = join(import.meta.dirname, 'testdata');
const REWRITE = process.env.REWRITE === '1';
const files = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();

describe('data-driven engine scenarios', () => {
  it('has scenario files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const path = join(DIR, file);
    const content = readFileSync(path, 'utf8');
    // A scenario that shows a known engine bug starts with `# skip: <why>` until it is fixed.
    const skip = /^# skip: (.+)/.exec(content)?.[1];
    (skip ? it.skip : it)(skip ? `${file} (skipped: ${skip})` : file, async () => {
      const chunks = parseDataFile(content);
      const cases = chunks.filter(isCase);
      const partitions = cases[0]?.command === 'partitions' ? Number(cases[0].args[0]) : 1;
      const h = new EngineHarness(partitions);
      const driver = new ScenarioDriver(h);
      for (const [i, c] of cases.entries()) {
        const actual = i === 0 && c.command === 'partitions' ? [] : await driver.run(c);
        if (REWRITE) c.expected = actual;
        else expect(actual.join('\n'), `${file}:${c.line}: ${c.raw}`).toBe(c.expected.join('\n'));
      }
      if (REWRITE) writeFileSync(path, printDataFile(chunks));
      await expectReplayable(h);
    });
  }
});
