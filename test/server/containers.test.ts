/**
 * Containers through a real `zen start` and the real SDK. An embedded sub-process: its input
 * mapping is what the worker inside sees, its output mapping what the caller gets back, and a
 * BPMN error thrown inside is caught by the error boundary on the sub-process. A parallel
 * multi-instance task: one job per item, each with its item, results collected in item order.
 * A message start event and an interrupting message event sub-process, driven by PublishMessage.
 * BroadcastSignal (gRPC, through the SDK) and POST /v2/signals/broadcast releasing waiting instances.
 * CreateProcessInstance with start instructions. An ad-hoc sub-process: one activity activated on
 * entry, another through POST /v2/element-instances/ad-hoc-activities/{key}/activation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixtures, muteSdkStreamCancellations, waitFor, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-sub-process.bpmn', 'server-multi-instance.bpmn', 'server-events.bpmn', 'server-signals.bpmn', 'server-ad-hoc.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);
muteSdkStreamCancellations();

describe('embedded sub-process over gRPC', () => {
  it('maps variables in and out of the sub-process, and catches an error thrown inside it', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const worker = zeebe.createWorker({
      taskType: 'sub-charge',
      taskHandler: (job) => {
        seen.push({ ...job.variables });
        if (job.variables.amount === 0) return job.error({ errorCode: 'DECLINED', errorMessage: 'nothing to charge', variables: {} });
        return job.complete({ receipt: `r-${String(job.variables.cents)}` });
      },
    });
    try {
      const paid = await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-sub-process', variables: { amount: 12 }, requestTimeout: 20_000 });
      // The receipt the worker set inside went up to the process, and the output mapping copied it.
      expect(paid.variables).toEqual({ amount: 12, receipt: 'r-1200', paymentReceipt: 'r-1200' });
      expect(seen[0]).toMatchObject({ amount: 12, cents: 1200 });

      const declined = await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-sub-process', variables: { amount: 0 }, requestTimeout: 20_000 });
      expect(declined.variables).toEqual({ amount: 0 });
    } finally {
      await worker.close();
    }
  });
});

describe('multi-instance over gRPC', () => {
  it('runs one job per item and returns the outputs in item order, however the jobs finish', async () => {
    const seen: unknown[] = [];
    const worker = zeebe.createWorker({
      taskType: 'mi-square',
      maxJobsToActivate: 10,
      taskHandler: async (job) => {
        const n = Number(job.variables.n);
        seen.push([n, job.variables.loopCounter]);
        // Later items finish first.
        await new Promise((r) => setTimeout(r, (6 - n) * 20));
        return job.complete({ squared: n * n });
      },
    });
    try {
      const result = await zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-multi-instance', variables: { numbers: [1, 2, 3, 4, 5] }, requestTimeout: 20_000 });
      expect(result.variables.squares).toEqual([1, 4, 9, 16, 25]);
      expect(seen.sort()).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
    } finally {
      await worker.close();
    }
  });
});

describe('message start and event sub-process over gRPC', () => {
  it('a published message starts an instance; a second message for its order ends it through the event sub-process', async () => {
    const jobs: Array<{ orderId: unknown; processInstanceKey: string }> = [];
    const worker = zeebe.createWorker({
      taskType: 'events-prepare',
      // Keeps the job: the instance waits in the task until the cancellation arrives.
      taskHandler: (job) => {
        jobs.push({ orderId: job.variables.orderId, processInstanceKey: job.processInstanceKey });
        return job.forward();
      },
    });
    try {
      await zeebe.publishMessage({ name: 'order-placed', correlationKey: '', variables: { orderId: 'o-77' }, timeToLive: 0 });
      const started = await waitFor('the started instance asks for work', () => jobs[0]);
      expect(started.orderId).toBe('o-77');
      // Active, waiting in its task.
      expect((await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances/${started.processInstanceKey}`)).status).toBe(200);
      await zeebe.publishMessage({ name: 'cancel-order', correlationKey: 'o-77', variables: {}, timeToLive: 0 });
      // Ended by the interrupting event sub-process: the history has it completed.
      const url = `http://127.0.0.1:${server.restPort}/v2/process-instances/${started.processInstanceKey}`;
      await waitFor('the instance ended', async () => (((await (await fetch(url)).json()) as { state?: string }).state === 'COMPLETED' ? true : undefined), 10_000);
    } finally {
      await worker.close();
    }
  });
});

describe('signals over gRPC and REST', () => {
  /** Broadcasts until `released` settles: a signal sent before the instance subscribed reaches nobody. */
  async function broadcastUntil<T>(released: Promise<T>, broadcast: () => Promise<unknown>): Promise<T> {
    let done = false;
    const result = released.finally(() => (done = true));
    while (!done) {
      await broadcast();
      await Promise.race([result, new Promise((r) => setTimeout(r, 200))]);
    }
    return result;
  }

  it('BroadcastSignal and POST /v2/signals/broadcast release the instances waiting for the signal', async () => {
    const keys: bigint[] = [];
    const viaGrpc = await broadcastUntil(zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-signal-wait', variables: {}, requestTimeout: 20_000 }), async () => {
      keys.push(BigInt((await zeebe.broadcastSignal({ signalName: 'release-all', variables: { releasedBy: 'grpc' } })).key));
    });
    expect(viaGrpc.variables).toEqual({ releasedBy: 'grpc' });
    expect(keys.every((k) => k > 0n)).toBe(true);

    const viaRest = await broadcastUntil(zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-signal-wait', variables: {}, requestTimeout: 20_000 }), async () => {
      const response = await fetch(`http://127.0.0.1:${server.restPort}/v2/signals/broadcast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signalName: 'release-all', variables: { releasedBy: 'rest' } }) });
      expect(response.status).toBe(200);
      expect(BigInt(((await response.json()) as { signalKey: string }).signalKey)).toBeGreaterThan(0n);
    });
    expect(viaRest.variables).toEqual({ releasedBy: 'rest' });
  });
});

describe('start instructions over gRPC', () => {
  it('starts an instance inside its sub-process: the sub-process is created (its mappings applied), its start event skipped', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const worker = zeebe.createWorker({
      taskType: 'sub-charge',
      taskHandler: (job) => {
        seen.push({ ...job.variables, elementId: job.elementId });
        return job.complete({ receipt: 'r-start' });
      },
    });
    try {
      const created = await zeebe.createProcessInstance({ bpmnProcessId: 'server-sub-process', variables: { amount: 3 }, startInstructions: [{ elementId: 'charge' }] });
      expect(BigInt(created.processInstanceKey)).toBeGreaterThan(0n);
      const job = await waitFor('the job of the started element', () => seen[0]);
      expect(job).toMatchObject({ elementId: 'charge', amount: 3, cents: 300 });
    } finally {
      await worker.close();
    }
  });
});

describe('ad-hoc sub-process over gRPC and REST', () => {
  it('runs what the instance lists on entry, then what a client activates over REST, until the completion condition holds', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const lookup = zeebe.createWorker({ taskType: 'adhoc-lookup', taskHandler: (job) => job.complete({ answer: 'L' }) });
    const notify = zeebe.createWorker({
      taskType: 'adhoc-notify',
      taskHandler: (job) => {
        seen.push({ ...job.variables });
        return job.complete({ answer: 'N', done: true });
      },
    });
    const rest = `http://127.0.0.1:${server.restPort}/v2`;
    type View = { activeElements: Array<{ elementId: string; elementInstanceKey: string }> };
    const read = async (key: string) => {
      const response = await fetch(`${rest}/process-instances/${key}`);
      const view = (await response.json()) as View & { state?: string };
      // A finished instance comes from the history: it counts as gone.
      return response.status === 404 || view.state !== 'ACTIVE' ? null : view;
    };
    try {
      const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'server-ad-hoc', variables: { initial: ['lookup'] } });
      // Once lookup is done the sub-process waits (done is not set yet) with nothing inside.
      const adHocKey = await waitFor('lookup done, the ad-hoc sub-process idle', async () => {
        const view = await read(processInstanceKey);
        const ids = view?.activeElements.map((e) => e.elementId) ?? [];
        return ids.length === 1 && ids[0] === 'tools' ? view!.activeElements[0]!.elementInstanceKey : undefined;
      });
      const activation = await fetch(`${rest}/element-instances/ad-hoc-activities/${adHocKey}/activation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ elements: [{ elementId: 'notify', variables: { channel: 'mail' } }] }),
      });
      expect(activation.status).toBe(204);
      await waitFor('the instance completed', async () => ((await read(processInstanceKey)) === null ? true : undefined));
      expect(seen).toEqual([{ initial: ['lookup'], answer: 'L', results: ['L'], channel: 'mail' }]);

      const unknown = await fetch(`${rest}/element-instances/ad-hoc-activities/${adHocKey}/activation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ elements: [{ elementId: 'notify' }] }),
      });
      expect(unknown.status).toBe(404);
    } finally {
      await lookup.close();
      await notify.close();
    }
  });
});
