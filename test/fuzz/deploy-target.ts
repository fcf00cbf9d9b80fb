/**
 * The two XML targets (BPMN, DMN) test alike: each generated document is compiled by the
 * model layer, then deployed to a real `zen start` node through `POST /v2/deployments`. The
 * outcome must be a deployment or a clear INVALID_ARGUMENT — the same verdict on both paths —
 * within a time box, with the node's memory bounded and nothing logged as an error. At the end
 * (and in the long run every few thousand cases) the node stops and its checkpointed state
 * must be what replaying its log gives (test/support/data-replay.ts); then it starts again on
 * its data, and deploying an accepted document again must find the definitions the log
 * rebuilt (the same keys and versions).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileResource } from '../../src/model/compile.js';
import type { ReplayCheck } from '../support/data-replay.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';
import { CaseCounter, expectNodeHealthy, expectProblemShape, fuzzParameters, fuzzRuns, peakRssMb, PEAK_RSS_LIMIT_MB, FUZZ_TIMEOUT_MS } from './fuzz-support.js';
import { finalReplayCheck, nodeReplayCheck, replayCheckIfDue } from './node-replay.js';
import type { MutatedDocument } from './xml-documents.js';

const MODEL_CASE_MS = 5000;
const REQUEST_TIMEOUT_MS = 15_000;

export interface DeployTargetOptions {
  readonly target: string;
  readonly extension: '.bpmn' | '.dmn';
  readonly documents: fc.Arbitrary<MutatedDocument>;
  readonly modelRuns: number;
  readonly nodeRuns: number;
}

interface Deployed {
  readonly bytes: Buffer;
  readonly deployments: unknown;
  readonly ids: readonly string[];
}

/** The definition ids a deployment answer names (processes, decisions, requirements). */
function definitionIds(deployments: unknown): string[] {
  const ids: string[] = [];
  for (const entry of deployments as Array<Record<string, Record<string, unknown>>>) {
    for (const value of Object.values(entry)) {
      for (const field of ['processDefinitionId', 'decisionDefinitionId', 'decisionRequirementsId']) if (typeof value[field] === 'string') ids.push(value[field]);
    }
  }
  return ids;
}

export function describeDeployTarget(options: DeployTargetOptions): void {
  const modelCases = new CaseCounter(`${options.target}-model`);
  const nodeCases = new CaseCounter(`${options.target}-node`);
  let server: ZenServer | undefined;
  let replay: ReplayCheck | undefined;

  beforeAll(async () => {
    server = await ZenServer.start();
    replay = nodeReplayCheck(server);
  });

  afterAll(async () => {
    modelCases.report();
    nodeCases.report();
    const exit = await server?.dispose();
    expect(exit?.code).toBe(0);
  });

  showServerOutputOnFailure(() => [server]);

  async function deploy(bytes: Buffer, name: string): Promise<{ status: number; contentType: string | null; text: string }> {
    const form = new FormData();
    form.append('resources', new Blob([bytes], { type: 'application/xml' }), name);
    const response = await fetch(`http://127.0.0.1:${server!.restPort}/v2/deployments`, { method: 'POST', body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
  }

  describe(`${options.target} documents`, () => {
    let accepted = 0;

    it('compile in the model layer to a model or errors naming the problem, within a time box', async () => {
      await fc.assert(
        fc.asyncProperty(options.documents, async (doc) => {
          modelCases.count();
          const started = performance.now();
          const result = await compileResource(`fuzz${options.extension}`, doc.bytes);
          expect(performance.now() - started).toBeLessThan(MODEL_CASE_MS);
          if (result.ok) accepted++;
          else {
            expect(result.errors.length).toBeGreaterThan(0);
            for (const error of result.errors) expect(error.message).toMatch(/\S/);
          }
        }),
        fuzzParameters(fuzzRuns(options.modelRuns)),
      );
      // The grammar must reach past the parser now and then, or the deeper checks go untested.
      expect(accepted, 'documents the model layer accepted').toBeGreaterThan(0);
    }, FUZZ_TIMEOUT_MS);

    it('deploy to a real node as a deployment or INVALID_ARGUMENT, the verdict of the model layer, replay to the same state, and survive a restart', async () => {
      const kept: Deployed[] = [];
      let deployedOnNode = 0;
      await fc.assert(
        fc.asyncProperty(options.documents, async (doc) => {
          nodeCases.count();
          const name = `fuzz${options.extension}`;
          const expected = await compileResource(name, doc.bytes);
          const started = performance.now();
          const answer = await deploy(doc.bytes, name);
          const elapsed = performance.now() - started;
          expect(elapsed, 'deployment time').toBeLessThan(REQUEST_TIMEOUT_MS);
          // The engine checks ids across the deployment's resources (and within one DMN
          // document) after the model layer: a duplicate is its INVALID_ARGUMENT.
          const duplicate = answer.status === 400 && /duplicated .*id/i.test(answer.text);
          if (expected.ok && !duplicate) {
            expect(answer.status, answer.text).toBe(200);
            deployedOnNode++;
            // Only the latest document per definition id deploys again as a duplicate.
            const deployments = (JSON.parse(answer.text) as { deployments: unknown }).deployments;
            const ids = definitionIds(deployments);
            for (let i = kept.length - 1; i >= 0; i--) if (kept[i]!.ids.some((id) => ids.includes(id))) kept.splice(i, 1);
            if (kept.length < 50) kept.push({ bytes: doc.bytes, deployments, ids });
          } else {
            expect(answer.status, answer.text).toBe(400);
            expectProblemShape(400, answer.contentType, answer.text, 'refused deployment');
            expect(JSON.parse(answer.text)).toMatchObject({ title: 'INVALID_ARGUMENT' });
          }
          expect(server!.running, 'the node process is still running').toBe(true);
          await replayCheckIfDue(replay!, server!, nodeCases);
        }),
        fuzzParameters(fuzzRuns(options.nodeRuns)),
      );
      await expectNodeHealthy(server!);
      const peak = peakRssMb(server!.pid);
      if (peak !== null) expect(peak, 'peak RSS of the node (MB)').toBeLessThan(PEAK_RSS_LIMIT_MB);

      // Stops the node, checks its data against replay, and starts it again on that data.
      const replayed = await finalReplayCheck(replay!, server!, nodeCases);
      if (deployedOnNode > 0) {
        expect(replayed.appliedTotal, 'log entries replayed (at least one per deployment)').toBeGreaterThanOrEqual(deployedOnNode);
        const definitions = (replayed.rows.processes ?? 0) + (replayed.rows.decisions ?? 0) + (replayed.rows.decision_requirements ?? 0);
        expect(definitions, 'definitions in the replayed state').toBeGreaterThan(0);
      }
      for (const { bytes, deployments } of kept) {
        const again = await deploy(bytes, `fuzz${options.extension}`);
        expect(again.status, again.text).toBe(200);
        expect((JSON.parse(again.text) as { deployments: unknown }).deployments, 'definitions rebuilt from the log').toEqual(deployments);
      }
      await expectNodeHealthy(server!);
    }, FUZZ_TIMEOUT_MS);
  });
}
