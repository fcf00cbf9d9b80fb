/**
 * An embedded sub-process through a real `zen start` and the real SDK: its input mapping is
 * what the worker inside sees, its output mapping what the caller gets back, and a BPMN error
 * thrown inside is caught by the error boundary on the sub-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFixtures, muteSdkStreamCancellations, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-sub-process.bpmn');
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
