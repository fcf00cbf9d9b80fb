/**
 * Fuzz target 4, REST JSON bodies: for every operation of the OpenAPI document a real node
 * serves, random path parameters and random bodies — values of the wrong type, huge numbers,
 * deep nesting, long strings, prototype-pollution keys, broken JSON — sent over real HTTP. The
 * answer is never a 5xx (but 501 for a path that is no served operation), every failure is a problem document, and the node stays up without
 * logging an error (an INTERNAL is logged as one). At the end (and in the long run every few
 * thousand cases) the node stops and its checkpointed state must be what replaying its log gives.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as b from '../fixtures/bpmn-builder.js';
import type { ReplayCheck } from '../support/data-replay.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';
import { jsonValue } from './feel-grammar.js';
import { CaseCounter, expectNodeHealthy, expectProblemShape, FUZZ_TIMEOUT_MS, fuzzParameters, fuzzRuns, peakRssMb, PEAK_RSS_LIMIT_MB } from './fuzz-support.js';
import { finalReplayCheck, nodeReplayCheck, replayCheckIfDue } from './node-replay.js';

const REQUEST_TIMEOUT_MS = 15_000;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly jsonBody: boolean;
  /** Top-level property names of the body schema, to aim values at real fields. */
  readonly properties: readonly string[];
}

type Schema = { $ref?: string; properties?: Record<string, Schema>; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[] };
interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

function propertyNames(schema: Schema | undefined, doc: OpenApi, seen = new Set<string>()): string[] {
  if (!schema) return [];
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    if (seen.has(name)) return [];
    seen.add(name);
    return propertyNames(doc.components.schemas[name], doc, seen);
  }
  const own = Object.keys(schema.properties ?? {});
  const nested = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].flatMap((s) => propertyNames(s, doc, seen));
  return [...new Set([...own, ...nested])];
}

function operationsOf(doc: OpenApi): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content ?? {};
      out.push({ method: method.toUpperCase(), path, jsonBody: 'application/json' in content || Object.keys(content).length === 0, properties: propertyNames(content['application/json']?.schema, doc) });
    }
  }
  return out.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

const pathValue = fc.oneof(
  fc.constantFrom('1', '0', '-1', '2251799813685249', '9223372036854775807', '9223372036854775808', '99999999999999999999999', 'abc', '<default>', '__proto__', 'constructor', '%00', '..%2F..', '%F0%9F%92%A5', ' ', '1e3', 'null'),
  fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
  fc.nat({ max: 5000 }).map((n) => 'k'.repeat(n + 1)),
);

/** A value for a field: often of a plausible JSON type, never necessarily the right one. */
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  jsonValue,
  fc.constantFrom('fz-rest', 'fz-job', '2251799813685249', '-1', '', 'PT1S', '2026-01-01T00:00:00Z', '<default>', 'ASC', 'DESC', '$eq', 'x'.repeat(70_000)),
  fc.record({ $eq: jsonValue }),
  fc.record({ $in: fc.array(jsonValue, { maxLength: 3 }) }),
  fc.array(fc.record({ field: fc.string(), order: fc.constantFrom('ASC', 'DESC', 'up') }), { maxLength: 2 }),
  // Around the nesting bound (1000): the deepest accepted values must not hurt the node either.
  fc.integer({ min: 990, max: 3000 }).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { a: v } : [v];
    return v;
  }),
);

/** A JSON body as text: built from the operation's fields, arbitrary JSON, or text that is barely JSON. */
function bodyText(operation: Operation): fc.Arbitrary<string> {
  const keys = [...operation.properties, ...operation.properties, '__proto__', 'constructor', 'prototype', 'filter', 'page', 'sort', 'variables', 'tenantId'];
  const object = fc
    .array(fc.tuple(fc.constantFrom(...keys), fieldValue), { maxLength: 6 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`);
  return fc.oneof(
    { weight: 5, arbitrary: object },
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.constantFrom('', '{', 'null', '[]', '"text"', '1e400', '{"a":1e400}', '{"key":123456789012345678901234567890}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":1,"a":2}', '\uFEFF{}', '{"a":"\\ud800"}'),
    fc.integer({ min: 1, max: 50_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.integer({ min: 1, max: 20_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
    fc.string({ maxLength: 40 }),
  );
}

let server: ZenServer | undefined;
let replay: ReplayCheck | undefined;
let operations: Operation[] = [];
const cases = new CaseCounter('rest-json');

beforeAll(async () => {
  server = await ZenServer.start();
  replay = nodeReplayCheck(server);
  // Something to create instances of, so creation requests get past "not found".
  const form = new FormData();
  form.append('resources', new Blob([b.oneTask('fz-rest', 'fz-job')], { type: 'application/xml' }), 'fz-rest.bpmn');
  expect((await fetch(`http://127.0.0.1:${server.restPort}/v2/deployments`, { method: 'POST', body: form })).status).toBe(200);
  // An instance waiting at its job, for the replay check to find in the state.
  const created = await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ processDefinitionId: 'fz-rest' }) });
  expect(created.status).toBe(200);
  const response = await fetch(`http://127.0.0.1:${server.restPort}/v2/openapi.json`);
  operations = operationsOf((await response.json()) as OpenApi);
});

afterAll(async () => {
  cases.report();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

async function send(operation: Operation, params: readonly string[], body: string | null, contentType: string): Promise<{ status: number; contentType: string | null; text: string }> {
  let i = 0;
  const path = operation.path.replace(/\{[^}]+\}/g, () => params[i++ % params.length]!);
  const response = await fetch(`http://127.0.0.1:${server!.restPort}/v2${path}`, {
    method: operation.method,
    ...(body === null ? {} : { body, headers: { 'content-type': contentType } }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const type = response.headers.get('content-type');
  // The change feed (GET /changes) answers a stream that stays open: its status and type are the
  // answer; dropping it also exercises the feed's cleanup on a client that goes away.
  if (type?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, contentType: type, text: '' };
  }
  return { status: response.status, contentType: type, text: await response.text() };
}

describe('REST JSON bodies', () => {
  it('every served operation answers random bodies without a 5xx, failures as problems, and the node stays up', async () => {
    expect(operations.length, 'operations in the served OpenAPI document').toBeGreaterThan(50);
    // FUZZ_RUNS is the target's total; every operation gets its share.
    const perOperation = Math.max(1, Math.ceil(fuzzRuns(operations.length * 3) / operations.length));
    const request = fc
      .constantFrom(...operations)
      .chain((operation) =>
        fc.record({
          operation: fc.constant(operation),
          params: fc.array(pathValue, { minLength: 1, maxLength: 3 }),
          // fetch sends no body with GET.
          body: operation.method === 'GET' ? fc.constant(null) : operation.method === 'DELETE' ? fc.option(bodyText(operation), { freq: 4 }) : bodyText(operation),
          contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded'),
        }),
      );
    await fc.assert(
      fc.asyncProperty(request, async ({ operation, params, body, contentType }) => {
        cases.count();
        const answer = await send(operation, params, body, contentType);
        const what = `${operation.method} ${operation.path} → ${answer.status} ${answer.text.slice(0, 500)}`;
        // 501 is the answer for a Camunda operation Zen does not serve (a path parameter such
        // as `.` makes the URL another operation's); anything else of 5xx is a defect.
        if (answer.status === 501) expect(JSON.parse(answer.text), what).toMatchObject({ title: 'UNIMPLEMENTED' });
        else expect(answer.status, what).toBeLessThan(500);
        if (answer.status >= 400) expectProblemShape(answer.status, answer.contentType, answer.text, what);
        await replayCheckIfDue(replay!, server!, cases);
      }),
      fuzzParameters(perOperation * operations.length),
    );
    await expectNodeHealthy(server!);
    const peak = peakRssMb(server!.pid);
    if (peak !== null) expect(peak, 'peak RSS of the node (MB)').toBeLessThan(PEAK_RSS_LIMIT_MB);

    // Stops the node, checks its data against replay, and starts it again on that data.
    const replayed = await finalReplayCheck(replay!, server!, cases);
    expect(replayed.rows.processes, 'processes in the replayed state').toBeGreaterThan(0);
    expect(replayed.rows.element_instances, 'element instances in the replayed state').toBeGreaterThan(0);
    await expectNodeHealthy(server!);
  }, FUZZ_TIMEOUT_MS);
});
