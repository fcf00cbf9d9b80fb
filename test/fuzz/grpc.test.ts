/**
 * Fuzz target 5, gRPC messages: every method of the gateway service (the SDK's zeebe.proto)
 * called on a real node with random field values — keys of real entities and nonsense,
 * variables that are not JSON objects, odd tenants, resources of random bytes — and with raw
 * random bytes as the message body. No call may end INTERNAL or UNKNOWN (the node's way of
 * saying a handler threw), hang, or take the node down. After each property (and in the long
 * run every few thousand cases) the node stops and its checkpointed state must be what
 * replaying its log gives.
 */
import { join } from 'node:path';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as b from '../fixtures/bpmn-builder.js';
import type { ReplayCheck } from '../support/data-replay.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';
import { CaseCounter, expectNodeHealthy, FUZZ_TIMEOUT_MS, fuzzParameters, fuzzRuns, peakRssMb, PEAK_RSS_LIMIT_MB } from './fuzz-support.js';
import { finalReplayCheck, nodeReplayCheck, replayCheckIfDue } from './node-replay.js';

const PROTO = join(REPO_ROOT, 'node_modules', '@camunda8', 'sdk', 'dist', 'proto', 'zeebe.proto');
const CALL_DEADLINE_MS = 5000;
/** Long polls are cut short: that they answer at all is what counts. */
const LONG_POLL_DEADLINE_MS = 300;
/** Long polls may run to the deadline; a server stream is cancelled once it has said something. */
const MAY_WAIT = new Set(['ActivateJobs', 'StreamActivatedJobs', 'CreateProcessInstanceWithResult']);
const FORBIDDEN = new Set<number>([status.INTERNAL, status.UNKNOWN]);

const root = protobuf.loadSync(PROTO);
const gateway = root.lookupService('gateway_protocol.Gateway');
const methods = gateway.methodsArray.map((m) => ({ name: m.name, request: root.lookupType(m.resolvedRequestType!.fullName), serverStream: m.responseStream === true }));

let server: ZenServer | undefined;
let client: Client | undefined;
let replay: ReplayCheck | undefined;
/** Keys of things that exist on the node, so some calls get past "not found". */
const keys: string[] = [];
const structured = new CaseCounter('grpc-messages');
const raw = new CaseCounter('grpc-raw-bytes');

async function rest(path: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${server!.restPort}/v2${path}`, init);
  expect(response.status, path).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  server = await ZenServer.start();
  replay = nodeReplayCheck(server);
  const form = new FormData();
  const xml = b.model('fz-grpc', b.message('m', 'fz-message', '=id'), b.start(), b.serviceTask('task', 'fz-job'), b.messageCatch('wait', 'm'), b.end(), ...b.chain('start', 'task', 'wait', 'end'));
  form.append('resources', new Blob([xml], { type: 'application/xml' }), 'fz-grpc.bpmn');
  const deployed = await rest('/deployments', { method: 'POST', body: form });
  const definition = (deployed.deployments as Array<{ processDefinition: { processDefinitionKey: string } }>)[0]!.processDefinition.processDefinitionKey;
  keys.push(String(deployed.deploymentKey), definition);
  for (let i = 0; i < 3; i++) {
    const created = await rest('/process-instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ processDefinitionId: 'fz-grpc', variables: { id: `c${i}` } }) });
    keys.push(String(created.processInstanceKey));
  }
  const activated = await rest('/jobs/activation', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'fz-job', maxJobsToActivate: 2, timeout: 600000, worker: 'fuzz' }) });
  for (const job of activated.jobs as Array<{ jobKey: string }>) keys.push(job.jobKey);
  // A process and an instance whose keys the fuzzer is not given: the replay check must find them in the state.
  const kept = new FormData();
  kept.append('resources', new Blob([b.oneTask('fz-grpc-kept', 'fz-kept-job')], { type: 'application/xml' }), 'fz-grpc-kept.bpmn');
  await rest('/deployments', { method: 'POST', body: kept });
  await rest('/process-instances', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ processDefinitionId: 'fz-grpc-kept' }) });
  connect();
});

/** A client of the node's current gRPC port (a restart binds new ports). */
function connect(): void {
  client?.close();
  client = new Client(server!.grpcAddress, credentials.createInsecure());
}

/** Stops the node, checks its data against replay, starts it again and reconnects. */
async function checkReplay(cases: CaseCounter): Promise<void> {
  const replayed = await finalReplayCheck(replay!, server!, cases);
  connect();
  expect(replayed.rows.processes, 'processes in the replayed state').toBeGreaterThan(0);
  expect(replayed.rows.element_instances, 'element instances in the replayed state').toBeGreaterThan(0);
  await expectNodeHealthy(server!);
}

afterAll(async () => {
  structured.report();
  raw.report();
  client?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

const text = fc.oneof(
  fc.constantFrom('', 'fz-grpc', 'fz-job', 'fz-message', 'task', 'wait', '<default>', 'other-tenant', '__proto__', 'constructor', 'x'.repeat(10_000), '💥', '\u0000'),
  fc.string({ maxLength: 20 }),
);
const variables = fc.oneof(
  fc.constantFrom('', '{}', '[]', 'null', '1', '"s"', 'not json', '{"a":', '{"__proto__":{"polluted":true}}', '{"a":1e400}', '{"id":"c1"}', `{"big":"${'y'.repeat(100_000)}"}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);
const int64 = () => fc.oneof(fc.constantFrom(...keys, '0', '-1', '1', '9223372036854775807', '-9223372036854775808', '2251799813685249'), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String));
const resource = fc.record({
  name: fc.constantFrom('a.bpmn', 'b.dmn', 'c.form', 'd.txt', '', '../x.bpmn'),
  content: fc.oneof(
    fc.constant(Buffer.from(b.model('fz-deployed', b.start(), b.end(), ...b.chain('start', 'end')))),
    fc.constant(Buffer.from('{"id":"f","components":[]}')),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  ),
});

/** A random value for a field of a request message, by its type and name. */
function fieldValue(field: protobuf.Field, depth: number): fc.Arbitrary<unknown> {
  field.resolve();
  const single = (): fc.Arbitrary<unknown> => {
    if (field.resolvedType instanceof protobuf.Type) {
      if (field.resolvedType.name === 'Resource') return resource;
      return depth > 3 ? fc.constant({}) : messageValue(field.resolvedType, depth + 1);
    }
    if (field.resolvedType instanceof protobuf.Enum) return fc.oneof(fc.constantFrom(...Object.values(field.resolvedType.values)), fc.integer({ min: -5, max: 50 }));
    switch (field.type) {
      case 'string':
        return /variables/i.test(field.name) ? variables : text;
      case 'int64':
      case 'uint64':
      case 'sint64':
      case 'fixed64':
        return int64();
      case 'int32':
      case 'sint32':
        return fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2147483647, -2147483648));
      case 'uint32':
        return fc.nat();
      case 'bool':
        return fc.boolean();
      case 'bytes':
        return fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes));
      case 'double':
      case 'float':
        return fc.double();
      default:
        return fc.constant(undefined);
    }
  };
  if (field.repeated) return fc.array(single(), { maxLength: 3 });
  if (field.map) return fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 });
  return single();
}

function messageValue(type: protobuf.Type, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = type.fieldsArray;
  if (fields.length === 0) return fc.constant({});
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of fields) model[field.name] = fieldValue(field, depth);
  return fc.record(model, { requiredKeys: [] });
}

/** One call with the body as given; resolves with the final status code. */
function call(method: string, serverStream: boolean, body: Buffer): Promise<{ code: number; details: string }> {
  const path = `/gateway_protocol.Gateway/${method}`;
  const identity = (bytes: Buffer) => bytes;
  const deadline = Date.now() + (MAY_WAIT.has(method) ? LONG_POLL_DEADLINE_MS : CALL_DEADLINE_MS);
  return new Promise((resolve) => {
    if (!serverStream) {
      client!.makeUnaryRequest(path, identity, identity, body, new Metadata(), { deadline }, (err: ServiceError | null) => resolve(err ? { code: err.code, details: err.details } : { code: status.OK, details: '' }));
      return;
    }
    const stream = client!.makeServerStreamRequest(path, identity, identity, body, new Metadata(), { deadline });
    let ended = false;
    const finish = (result: { code: number; details: string }) => {
      if (ended) return;
      ended = true;
      resolve(result);
    };
    stream.on('data', () => {
      // It answered: that is all this checks of a stream.
      stream.cancel();
    });
    stream.on('error', (err: ServiceError) => finish({ code: err.code, details: err.details }));
    stream.on('status', (s: { code: number; details: string }) => finish({ code: s.code, details: s.details }));
  });
}

function expectHandled(method: string, result: { code: number; details: string }, request: string): void {
  const what = `${method} ended ${status[result.code]}: ${result.details} (request ${request.slice(0, 300)})`;
  expect(FORBIDDEN.has(result.code), what).toBe(false);
  if (result.code === status.DEADLINE_EXCEEDED) expect(MAY_WAIT.has(method), what).toBe(true);
}

describe('gRPC gateway', () => {
  it('every method answers random field values without INTERNAL or UNKNOWN', async () => {
    const request = fc.constantFrom(...methods).chain((m) => fc.record({ method: fc.constant(m), value: messageValue(m.request) }));
    await fc.assert(
      fc.asyncProperty(request, async ({ method, value }) => {
        structured.count();
        let body: Buffer;
        try {
          body = Buffer.from(method.request.encode(method.request.fromObject(value)).finish());
        } catch {
          return; // a value protobufjs itself cannot encode: nothing reaches the node
        }
        expectHandled(method.name, await call(method.name, method.serverStream, body), JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
        await replayCheckIfDue(replay!, server!, structured, connect);
      }),
      fuzzParameters(fuzzRuns(methods.length * 12)),
    );
    await expectNodeHealthy(server!);
    await checkReplay(structured);
  }, FUZZ_TIMEOUT_MS);

  it('every method answers raw random bytes without INTERNAL or UNKNOWN', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), fc.uint8Array({ maxLength: 300 }), async (method, bytes) => {
        raw.count();
        expectHandled(method.name, await call(method.name, method.serverStream, Buffer.from(bytes)), Buffer.from(bytes).toString('hex'));
        await replayCheckIfDue(replay!, server!, raw, connect);
      }),
      fuzzParameters(fuzzRuns(methods.length * 4)),
    );
    await expectNodeHealthy(server!);
    const peak = peakRssMb(server!.pid);
    if (peak !== null) expect(peak, 'peak RSS of the node (MB)').toBeLessThan(PEAK_RSS_LIMIT_MB);
    await checkReplay(raw);
  }, FUZZ_TIMEOUT_MS);
});
