/**
 * Error statuses a real `zen start` process returns to the real SDK: each request here is wrong
 * in one way, and the status code (and where useful the message) must say which.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Code,
  deployFixtures,
  fixture,
  fixturePath,
  grpcFailure,
  rawUnary,
  waitFor,
  zeebeClient,
  type ZeebeClient,
} from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const MAX_MESSAGE_SIZE = 256 * 1024;

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--max-message-size', '256KB'] });
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-one-task.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

/** Activates the one job of a fresh instance of server-one-task carrying `tag`. */
async function jobOfNewInstance(tag: string) {
  const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { tag } });
  return waitFor(`the job of instance ${created.processInstanceKey}`, async () => {
    const jobs = await zeebe.activateJobs({
      type: 'server-work',
      worker: 'errors-test',
      maxJobsToActivate: 100,
      timeout: 60_000,
      requestTimeout: 1_000,
    });
    return jobs.find((j) => j.processInstanceKey === created.processInstanceKey);
  });
}

const deployXml = (name: string, xml: string | Buffer) =>
  zeebe.deployResource({ name, process: Buffer.isBuffer(xml) ? xml : Buffer.from(xml) });

describe('NOT_FOUND', () => {
  it('for an unknown process id and an unknown version', async () => {
    const unknown = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'no-such-process', variables: {} }));
    expect(unknown.code, unknown.details).toBe(Code.NOT_FOUND);
    expect(unknown.details).toContain('no-such-process');

    const version = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', version: 99, variables: {} }));
    expect(version.code, version.details).toBe(Code.NOT_FOUND);
  });

  it('for completing, failing or throwing on a job that does not exist', async () => {
    const jobKey = '2251799813999999';
    const complete = await grpcFailure(zeebe.completeJob({ jobKey, variables: {} }));
    expect(complete.code, complete.details).toBe(Code.NOT_FOUND);
    expect(complete.details).toContain(jobKey);
    const fail = await grpcFailure(zeebe.failJob({ jobKey, retries: 1, errorMessage: 'x', retryBackOff: 0 }));
    expect(fail.code, fail.details).toBe(Code.NOT_FOUND);
    const thrown = await grpcFailure(zeebe.throwError({ jobKey, errorCode: 'E', errorMessage: 'x' }));
    expect(thrown.code, thrown.details).toBe(Code.NOT_FOUND);
  });

  it('for completing a job that was already completed', async () => {
    const job = await jobOfNewInstance('complete-twice');
    await zeebe.completeJob({ jobKey: job.key, variables: { first: true } });
    const again = await grpcFailure(zeebe.completeJob({ jobKey: job.key, variables: { second: true } }));
    expect(again.code, again.details).toBe(Code.NOT_FOUND);
    expect(again.details).toContain(job.key);
  });
});

describe('INVALID_ARGUMENT', () => {
  it('for a BPMN model with a service task that has no task definition, naming the element', async () => {
    const err = await grpcFailure(deployXml('server-missing-task-type.bpmn', fixture('server-missing-task-type.bpmn')));
    expect(err.code, err.details).toBe(Code.INVALID_ARGUMENT);
    expect(err.details).toContain('taskWithoutType');
    // Nothing of the rejected deployment exists.
    const create = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-missing-task-type', variables: {} }));
    expect(create.code, create.details).toBe(Code.NOT_FOUND);
  });

  it('for malformed XML', async () => {
    const err = await grpcFailure(deployXml('broken.bpmn', '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="x"><bpmn:process id="p">'));
    expect(err.code, err.details).toBe(Code.INVALID_ARGUMENT);
    expect(err.details).toContain('broken.bpmn');
  });

  it('for XML with a DOCTYPE and entity declarations', async () => {
    const xml = fixture('server-one-task.bpmn')
      .toString('utf8')
      .replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE d [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY lol "lol"> ]>',
      )
      .replace('id="server-one-task"', 'id="server-doctype" name="&xxe;&lol;"');
    const err = await grpcFailure(deployXml('doctype.bpmn', xml));
    expect(err.code, err.details).toBe(Code.INVALID_ARGUMENT);
    expect(err.details).toMatch(/DOCTYPE/);
    const create = await grpcFailure(zeebe.createProcessInstance({ bpmnProcessId: 'server-doctype', variables: {} }));
    expect(create.code, create.details).toBe(Code.NOT_FOUND);
  });

  it('for variables that are not a JSON object', async () => {
    // The SDK turns non-objects into {} or refuses them itself; a plain gRPC client sends them as given.
    for (const variables of ['42', '"text"', 'true', '[1,2]', '{"unclosed":']) {
      const err = await grpcFailure(rawUnary(server, 'CreateProcessInstance', { bpmnProcessId: 'server-one-task', variables }));
      expect(err.code, `${variables}: ${err.details}`).toBe(Code.INVALID_ARGUMENT);
      expect(err.details).toContain('variables');
    }
    const job = await jobOfNewInstance('bad-completion-variables');
    const complete = await grpcFailure(rawUnary(server, 'CompleteJob', { jobKey: job.key, variables: '["not","an","object"]' }));
    expect(complete.code, complete.details).toBe(Code.INVALID_ARGUMENT);
    // The refused completion left the job with the worker; a good one still works.
    await zeebe.completeJob({ jobKey: job.key, variables: {} });
  });

  it('for a tenant other than the default one', async () => {
    const err = await grpcFailure(
      zeebe.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: {}, tenantId: 'tenant-x' }),
    );
    expect(err.code, err.details).toBe(Code.INVALID_ARGUMENT);
    expect(err.details).toContain('tenant-x');
    const deploy = await grpcFailure(zeebe.deployResource({ processFilename: fixturePath('server-one-task.bpmn'), tenantId: 'tenant-x' }));
    expect(deploy.code, deploy.details).toBe(Code.INVALID_ARGUMENT);
  });
});

describe('DEADLINE_EXCEEDED', () => {
  it('for createProcessInstanceWithResult when the instance does not complete in time; the server stays healthy', async () => {
    const err = await grpcFailure(
      zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'server-one-task',
        variables: { tag: 'never-completed' },
        requestTimeout: 1_000,
      }),
    );
    expect(err.code, err.details).toBe(Code.DEADLINE_EXCEEDED);

    expect((await server.get('/ready')).status).toBe(200);
    // The instance itself was created and lives on: its job is there to be worked on.
    const jobs = await zeebe.activateJobs({
      type: 'server-work',
      worker: 'errors-test',
      maxJobsToActivate: 100,
      timeout: 60_000,
      requestTimeout: 5_000,
    });
    const job = jobs.find((j) => j.variables.tag === 'never-completed');
    expect(job).toBeDefined();
    await zeebe.completeJob({ jobKey: job!.key, variables: {} });
    // And a later call that can complete does.
    const worker = zeebe.createWorker({ taskType: 'server-work', taskHandler: (j) => j.complete({ done: true }) });
    try {
      const result = await zeebe.createProcessInstanceWithResult({
        bpmnProcessId: 'server-one-task',
        variables: { tag: 'after-deadline' },
        requestTimeout: 20_000,
      });
      expect(result.variables).toEqual({ tag: 'after-deadline', done: true });
    } finally {
      await worker.close();
    }
  });
});

describe('RESOURCE_EXHAUSTED', () => {
  it('for a request larger than --max-message-size; the server stays healthy', async () => {
    // Random bytes do not compress, so the SDK's gzip cannot bring the frame under the limit.
    const blob = randomBytes(MAX_MESSAGE_SIZE).toString('base64');
    const err = await grpcFailure(zeebe.publishMessage({ name: 'big', correlationKey: 'k', timeToLive: 0, variables: { blob } }));
    expect(err.code, err.details).toBe(Code.RESOURCE_EXHAUSTED);
    expect(err.details).toContain(`larger than the limit of ${MAX_MESSAGE_SIZE} bytes (maxMessageSize)`);

    expect((await server.get('/ready')).status).toBe(200);
    const small = await zeebe.publishMessage({ name: 'small', correlationKey: 'k', timeToLive: 0, variables: { ok: true } });
    expect(BigInt(small.key)).toBeGreaterThan(0n);
  });
});

it('logged nothing at error level (no request above was a server bug)', () => {
  expect(server.logs().length).toBeGreaterThan(3);
  expect(server.errorLogs()).toEqual([]);
});
