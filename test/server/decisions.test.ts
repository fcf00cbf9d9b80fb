/**
 * Decisions through a real `zen start`: a .dmn and a BPMN deployed with `@camunda8/sdk`, a
 * business rule task evaluating the decision, EvaluateDecision over gRPC and the REST evaluation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, decisionTask, end, model, start } from '../fixtures/bpmn-builder.js';
import { discountDmn } from '../fixtures/dmn-builder.js';
import { zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

const PROCESS = model('server-pricing', start(), decisionTask('price', 'message', 'offer'), end(), ...chain('start', 'price', 'end'));

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('decisions over gRPC and REST', () => {
  it('deploys a .dmn beside a BPMN, runs a business rule task and evaluates the decision directly', async () => {
    const deployed = await zeebe.deployResources([
      { name: 'pricing.dmn', decision: Buffer.from(discountDmn()) },
      { name: 'server-pricing.bpmn', process: Buffer.from(PROCESS) },
    ]);
    const entries = deployed.deployments as Array<{ decision?: { dmnDecisionId: string; version: number; decisionKey: string }; decisionRequirements?: { dmnDecisionRequirementsId: string; resourceName: string } }>;
    expect(entries.filter((d) => d.decision).map((d) => d.decision!.dmnDecisionId).sort()).toEqual(['discount', 'message']);
    expect(entries.find((d) => d.decisionRequirements)?.decisionRequirements).toMatchObject({ dmnDecisionRequirementsId: 'pricing', resourceName: 'pricing.dmn' });

    const result = await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-pricing', variables: { customer: 'gold', orderSize: 20 }, requestTimeout: 30_000 });
    expect(result.variables).toMatchObject({ offer: 'discount 0.15' });

    const evaluated = await zeebe.evaluateDecision({ decisionId: 'discount', variables: { customer: 'silver', orderSize: 1 } });
    expect(evaluated).toMatchObject({ decisionId: 'discount', decisionOutput: '0', failureMessage: '' });
    expect(evaluated.evaluatedDecisions[0]!.matchedRules[0]).toMatchObject({ ruleId: 'other', ruleIndex: 3 });

    const response = await fetch(`http://127.0.0.1:${server.restPort}/v2/decision-definitions/evaluation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decisionDefinitionKey: evaluated.decisionKey, variables: { customer: 'gold', orderSize: 2 } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ decisionDefinitionId: 'discount', output: '0.1' });
  });
});

describe('API documentation over HTTP', () => {
  it('serves the OpenAPI document as an HTML page at /v2/docs', async () => {
    const page = await fetch(`http://127.0.0.1:${server.restPort}/v2/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
    const html = await page.text();
    expect(html).toContain('<details class="op" id="evaluateDecision"');
    expect(html).toContain('<details class="op" id="getApiDocs"');
  });
});
