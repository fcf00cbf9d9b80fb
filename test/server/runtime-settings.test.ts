/**
 * Settings changed at run time on a real standalone `zen start` (ADR 016), through the
 * management port's /actuator/cluster/configuration and `zen config`: each takes effect at
 * once, static ones are refused with a message, and a restart keeps what was changed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, deployFixtures, grpcFailure, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const PATH = '/actuator/cluster/configuration';

interface Setting {
  key: string;
  flag: string;
  value: string;
  source: string;
  runtimeChangeable: boolean;
  sequence?: number;
}

let server: ZenServer;
let zeebe: ZeebeClient;

async function patch(body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(server.systemUrl(PATH), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

async function setting(key: string): Promise<Setting> {
  const response = await fetch(server.systemUrl(`${PATH}/${key}`));
  expect(response.status).toBe(200);
  return (await response.json()) as Setting;
}

function zen(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'zen.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const debugLines = () => server.logs().filter((line) => line.level === 'debug');

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--log-level', 'info'] });
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-one-task.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

describe('GET /actuator/cluster/configuration', () => {
  it('lists every setting with its value in force, its source and whether it can change', async () => {
    const response = await fetch(server.systemUrl(PATH));
    expect(response.status).toBe(200);
    const { settings } = (await response.json()) as { settings: Setting[] };
    const byKey = new Map(settings.map((s) => [s.key, s]));
    expect(byKey.get('logLevel')).toEqual({ key: 'logLevel', flag: 'log-level', value: 'info', source: 'flag', runtimeChangeable: true });
    expect(byKey.get('backpressureLimit')).toMatchObject({ value: '2000', source: 'default', runtimeChangeable: true });
    expect(byKey.get('partitions')).toMatchObject({ value: '1', runtimeChangeable: false });
    // By the flag's name too; an unknown one is a 404 problem.
    expect(await setting('max-message-size')).toMatchObject({ key: 'maxMessageSize', value: '4MB', source: 'default' });
    const unknown = await fetch(server.systemUrl(`${PATH}/noSuchThing`));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ title: 'NOT_FOUND', detail: "No setting named 'noSuchThing'" });
  });
});

describe('PATCH /actuator/cluster/configuration', () => {
  it('log level: debug lines appear at once', async () => {
    await fetch(`http://127.0.0.1:${server.restPort}/v2/topology`);
    expect(debugLines()).toHaveLength(0);
    const { status, json } = await patch({ 'log-level': 'debug' });
    expect(status).toBe(200);
    expect(json.settings).toEqual([{ key: 'logLevel', flag: 'log-level', value: 'debug', source: 'api', runtimeChangeable: true }]);
    await fetch(`http://127.0.0.1:${server.restPort}/v2/topology`);
    await waitFor('a debug line', () => (debugLines().some((l) => l.msg === 'REST request') ? true : undefined));
  });

  it('backpressure limit: lowered, a burst gets RESOURCE_EXHAUSTED; back to the default, the same burst is taken', async () => {
    expect((await patch({ backpressureLimit: 1 })).status).toBe(200);
    const burst = () =>
      Promise.allSettled(Array.from({ length: 200 }, () => zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {} })));
    const refused = (await burst()).filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason.code).toBe(Code.RESOURCE_EXHAUSTED);
    expect((r0(refused).reason as { details: string }).details).toContain('(backpressure)');

    const reset = await patch({ backpressureLimit: null });
    expect(reset.json.settings[0]).toMatchObject({ key: 'backpressureLimit', value: '2000', source: 'default' });
    expect((await burst()).filter((r) => r.status === 'rejected')).toHaveLength(0);
  });

  it('max message size: lowered, a larger gRPC request and REST body are refused; raised back, accepted', async () => {
    expect((await patch({ maxMessageSize: '64KB' })).status).toBe(200);
    // Random bytes do not compress, so the SDK's gzip cannot bring the frame under the limit.
    const blob = randomBytes(80 * 1024).toString('base64');
    const err = await grpcFailure(zeebe.publishMessage({ name: 'big', correlationKey: 'k', timeToLive: 0, variables: { blob } }));
    expect(err.code, err.details).toBe(Code.RESOURCE_EXHAUSTED);
    expect(err.details).toContain('larger than the limit of 65536 bytes (maxMessageSize)');
    const rest = await fetch(`http://127.0.0.1:${server.restPort}/v2/messages/publication`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', correlationKey: 'k', variables: { blob } }),
    });
    expect(rest.status).toBe(413);
    expect(((await rest.json()) as { detail: string }).detail).toContain('larger than the limit of 65536 bytes');

    expect((await patch({ maxMessageSize: '8MB' })).json.settings[0]).toMatchObject({ value: '8MB', source: 'api' });
    const accepted = await zeebe.publishMessage({ name: 'big', correlationKey: 'k', timeToLive: 0, variables: { blob } });
    expect(BigInt(accepted.key)).toBeGreaterThan(0n);
  });

  it('refuses static and invalid settings all at once, naming each, and changes nothing', async () => {
    const { status, json } = await patch({ partitions: 4, tracingLevel: 'everything', logLevel: 'warn' });
    expect(status).toBe(400);
    expect(json.title).toBe('INVALID_ARGUMENT');
    expect(json.detail).toContain('partitions cannot change at run time; restart the nodes with --partitions');
    expect(json.detail).toContain('tracingLevel must be one of off, api, engine, workers, full, got "everything"');
    expect((await setting('logLevel')).value).toBe('debug');
    const notJson = await fetch(server.systemUrl(PATH), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{ no' });
    expect(notJson.status).toBe(400);
  });

  it('zen config get/set/unset through the management port', async () => {
    const url = server.systemUrl('');
    const set = await zen(['config', 'set', 'history-retention', '2d', '--management-url', url]);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^key\s+value\s+source\s+runtime\s+sequence\nhistoryRetention\s+2d\s+api\s+yes\n$/);
    const get = await zen(['config', 'get', 'historyRetention', '--management-url', url, '--json']);
    expect(JSON.parse(get.stdout)).toMatchObject({ key: 'historyRetention', value: '2d', source: 'api' });
    const refused = await zen(['config', 'set', 'grpcPort', '1234', '--management-url', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('grpcPort cannot change at run time; restart the nodes with --grpc-port');
    const unset = await zen(['config', 'unset', 'historyRetention', '--management-url', url]);
    expect(unset.code).toBe(0);
    expect(unset.stdout).toMatch(/historyRetention\s+7d\s+default/);
  });

  it('a restart keeps the overrides (settings.json in the data directory)', async () => {
    expect(existsSync(join(server.dataDir, 'settings.json'))).toBe(true);
    await zeebe.close();
    await server.restart();
    zeebe = zeebeClient(server);
    expect(await setting('logLevel')).toMatchObject({ value: 'debug', source: 'api' });
    expect(await setting('maxMessageSize')).toMatchObject({ value: '8MB', source: 'api' });
    expect(await setting('historyRetention')).toMatchObject({ value: '7d', source: 'default' });
    // In force from the start: the restarted node logs at debug.
    const before = debugLines().length;
    await fetch(`http://127.0.0.1:${server.restPort}/v2/topology`);
    await waitFor('a debug line after the restart', () => (debugLines().length > before ? true : undefined));
  });
});

function r0<T>(list: T[]): T {
  return list[0]!;
}
