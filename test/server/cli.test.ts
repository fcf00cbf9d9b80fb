/**
 * The real `bin/zen.js` as a child process against a real `zen start`: what an operator or a
 * script sees (stdout, stderr, exit code) for the client commands over the REST API.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ZenServer } from '../support/server-process.js';

const BIN = join(REPO_ROOT, 'bin', 'zen.js');
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'bpmn', 'server-one-task.bpmn');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function zen(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('zen CLI against a running node', () => {
  let server: ZenServer;
  let address: string;
  let instanceKey: string;

  beforeAll(async () => {
    server = await ZenServer.start();
    address = `http://127.0.0.1:${server.restPort}`;
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('deploys a fixture and prints its process definition', async () => {
    const run = await zen(['deploy', FIXTURE, '--address', address]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^deployment \d+\n/);
    expect(run.stdout).toMatch(/processDefinition +server-one-task +1 +\d+ +server-one-task\.bpmn/);
  });

  it('creates an instance with result while another zen works its job', async () => {
    const env = { ZEN_ADDRESS: address };
    const created = zen(['create', 'instance', 'server-one-task', '--variables', '{"amount":100}', '--with-result', '--json'], env);
    const activated = await zen(['activate', 'jobs', 'server-work', '--request-timeout', '10s', '--json'], env);
    expect(activated.code).toBe(0);
    const [job] = (JSON.parse(activated.stdout) as { jobs: { jobKey: string; variables: unknown }[] }).jobs;
    expect(job!.variables).toEqual({ amount: 100 });
    expect(job!.jobKey).toMatch(/^\d+$/);

    const completed = await zen(['complete', 'job', job!.jobKey, '--variables', '{"paid":true}'], env);
    expect(completed).toMatchObject({ code: 0, stdout: `completed job ${job!.jobKey}\n` });

    const result = await created;
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as { processInstanceKey: string; variables: unknown };
    expect(answer.variables).toEqual({ amount: 100, paid: true });
    expect(typeof answer.processInstanceKey).toBe('string');
    instanceKey = answer.processInstanceKey;
  });

  it('searches instances as a table and as JSON', async () => {
    const filter = ['--filter', 'processDefinitionId=server-one-task', '--filter', 'state=COMPLETED', '--strong', '--address', address];
    const table = await zen(['search', 'instances', ...filter]);
    expect(table.code).toBe(0);
    const [header, row, ...rest] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^processInstanceKey +processDefinitionId +processDefinitionVersion +state +hasIncident +startDate +endDate$/);
    expect(row).toMatch(new RegExp(`^${instanceKey} +server-one-task +1 +COMPLETED +false +\\S+Z +\\S+Z$`));
    expect(rest).toEqual([]);

    const json = await zen(['search', 'instances', ...filter, '--sort', 'startDate:desc', '--json']);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { items: { processInstanceKey: string; state: string }[]; page: { totalItems: number } };
    expect(answer.items).toMatchObject([{ processInstanceKey: instanceKey, state: 'COMPLETED' }]);
    expect(answer.page.totalItems).toBe(1);
  });

  it("exits 1 with the problem's detail on stderr when the node refuses", async () => {
    const run = await zen(['cancel', 'instance', instanceKey, '--address', address]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`zen: NOT_FOUND: Expected to cancel a process instance with key '${instanceKey}', but no such process was found\n`);
  });

  it('exits 2 on a usage error, before any request', async () => {
    const run = await zen(['search', 'instances', '--sort', 'startDate:up', '--address', 'http://127.0.0.1:1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/option '--sort <field\[:asc\|desc\]>' argument 'startDate:up' is invalid/);
    expect(run.stdout).toBe('');
  });
});
