/**
 * zbctl, Camunda's Go command line client, against a real `zen start` process: a client built
 * on another gRPC stack (grpc-go) and another proto code generator than the SDK.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRequiring } from '../support/requires.js';
import { fixturePath } from '../support/server-client.js';
import { REPO_ROOT, showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const ZBCTL = join(REPO_ROOT, 'node_modules', 'zbctl', 'bin', 'zbctl-cli.linux');
const canRunZbctl = process.platform === 'linux' && process.arch === 'x64' && existsSync(ZBCTL);

let server: ZenServer;

/** zbctl reads ZEEBE_* variables (address, OAuth); the test passes everything as flags instead. */
function zbctlEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ZEEBE_') && !name.startsWith('CAMUNDA_')) env[name] = value;
  return env;
}

function zbctl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      ZBCTL,
      ['--insecure', '--address', server.grpcAddress, ...args],
      { timeout: 20_000, env: zbctlEnv() },
      (err, stdout, stderr) => (err ? reject(new Error(`zbctl ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(stdout)),
    );
  });
}

describeRequiring(canRunZbctl, 'the zbctl binary (npm package zbctl, linux-x64)', 'zbctl', () => {
  beforeAll(async () => {
    server = await ZenServer.start();
  });

  afterAll(async () => {
    const exit = await server?.dispose();
    expect(exit?.code).toBe(0);
  });

  showServerOutputOnFailure(() => [server]);

  it('status shows one broker leading one healthy partition', async () => {
    const out = await zbctl('status');
    expect(out).toContain('Cluster size: 1');
    expect(out).toContain('Partitions count: 1');
    expect(out).toContain(`Broker 0 - 127.0.0.1:${server.grpcPort}`);
    expect(out).toMatch(/Partition 1\s*:\s*Leader, Healthy/);
  });

  it('deploys a file, creates an instance, activates and completes its job', async () => {
    const deployed = JSON.parse(await zbctl('deploy', fixturePath('server-one-task.bpmn'))) as {
      key: string;
      processes: Array<{ bpmnProcessId: string; version: number; processDefinitionKey: string }>;
    };
    expect(deployed.processes).toHaveLength(1);
    expect(deployed.processes[0]).toMatchObject({ bpmnProcessId: 'server-one-task', version: 1 });

    const created = JSON.parse(await zbctl('create', 'instance', 'server-one-task', '--variables', '{"amount":42}')) as {
      processInstanceKey: string;
      processDefinitionKey: string;
    };
    expect(created.processDefinitionKey).toBe(deployed.processes[0]!.processDefinitionKey);

    const activated = JSON.parse(
      await zbctl('activate', 'jobs', 'server-work', '--worker', 'go', '--maxJobsToActivate', '5', '--requestTimeout', '5s'),
    ) as { jobs: Array<{ key: string; processInstanceKey: string; worker: string; variables: string }> };
    expect(activated.jobs).toHaveLength(1);
    const [job] = activated.jobs;
    expect(job).toMatchObject({ processInstanceKey: created.processInstanceKey, worker: 'go' });
    expect(JSON.parse(job!.variables)).toEqual({ amount: 42 });

    const completed = await zbctl('complete', 'job', job!.key, '--variables', '{"paid":true}');
    expect(completed).toContain(job!.key);
    // Completed means gone: completing again is refused with NOT_FOUND.
    await expect(zbctl('complete', 'job', job!.key)).rejects.toThrow(/NotFound/);
  });

  // Zeebe keeps int64 values in variables exact (MessagePack); so does Zen (bigint), in and out.
  it('keeps integer variables beyond 2^53 exact', async () => {
    await zbctl('create', 'instance', 'server-one-task', '--variables', '{"big":9007199254740993}');
    const activated = JSON.parse(
      await zbctl('activate', 'jobs', 'server-work', '--worker', 'go', '--maxJobsToActivate', '5', '--requestTimeout', '5s'),
    ) as { jobs: Array<{ key: string; variables: string }> };
    for (const job of activated.jobs) await zbctl('complete', 'job', job.key);
    expect(activated.jobs.map((j) => j.variables)).toEqual(['{"big":9007199254740993}']);
  });

  it('create instance --withResult returns DeadlineExceeded when nobody works on the job', async () => {
    await expect(
      zbctl('create', 'instance', 'server-one-task', '--withResult', '--requestTimeout', '1s'),
    ).rejects.toThrow(/DeadlineExceeded/);
  });
});
