import { it, expect } from 'vitest';
import { deployFixtures, zeebeClient, sleep, grpcFailure } from '../support/server-client.js';
import { ZenServer } from '../support/server-process.js';
it('probe multi-partition', async () => {
  const server = await ZenServer.start({ args: ['--partitions', '3'] });
  const z = zeebeClient(server);
  try {
    await deployFixtures(z, 'server-one-task.bpmn', 'server-message-catch.bpmn', 'server-timer.bpmn', 'server-error-boundary.bpmn');
    const w = z.createWorker({ taskType: 'server-work', taskHandler: (j) => j.complete({ ok: 1 }) });
    const rs = await Promise.all(Array.from({ length: 9 }, (_, n) => z.createProcessInstanceWithResult({ bpmnProcessId: 'server-one-task', variables: { n }, requestTimeout: 10000 })));
    console.log('PARTS', rs.map((r) => (BigInt(r.processInstanceKey) >> 51n).toString()).join(','));
    await w.close();
    // messages across partitions
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) {
      await z.publishMessage({ name: 'payment-received', correlationKey: k, timeToLive: 60000, variables: { paid: k } });
    }
    const ms = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => z.createProcessInstanceWithResult({ bpmnProcessId: 'server-message-catch', variables: { orderId: k }, requestTimeout: 10000 })));
    console.log('MSGS', JSON.stringify(ms.map((m) => m.variables)));
    const t = await Promise.all([1, 2, 3].map(() => z.createProcessInstanceWithResult({ bpmnProcessId: 'server-timer', variables: {}, requestTimeout: 10000 })));
    console.log('TIMERS', t.length);
    // cancel
    const c = await z.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { c: 1 } });
    await z.cancelProcessInstance(c.processInstanceKey);
    const again = await grpcFailure(z.cancelProcessInstance(c.processInstanceKey));
    console.log('CANCEL AGAIN', again.code, again.details);
    const jobs = await z.activateJobs({ type: 'server-work', worker: 'x', maxJobsToActivate: 10, timeout: 500, requestTimeout: 1000 });
    console.log('JOBS AFTER CANCEL', jobs.length);
    // timeout re-activation
    const d = await z.createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { d: 1 } });
    const j1 = await z.activateJobs({ type: 'server-work', worker: 'x', maxJobsToActivate: 10, timeout: 500, requestTimeout: 3000 });
    const j2 = await z.activateJobs({ type: 'server-work', worker: 'y', maxJobsToActivate: 10, timeout: 5000, requestTimeout: 5000 });
    console.log('TIMEOUT', j1.map(j=>j.key), j2.map(j=>[j.key,j.worker, j.retries]));
    // fail with backoff
    await z.failJob({ jobKey: j2[0].key, retries: 2, errorMessage: 'x', retryBackOff: 1000 });
    const t0 = Date.now();
    const j3 = await z.activateJobs({ type: 'server-work', worker: 'z', maxJobsToActivate: 10, timeout: 5000, requestTimeout: 5000 });
    console.log('BACKOFF', Date.now() - t0, j3.map(j=>[j.key, j.retries]));
    // set variables
    await z.setVariables({ elementInstanceKey: d.processInstanceKey, variables: { added: 'yes' }, local: false });
    await z.failJob({ jobKey: j3[0].key, retries: 1, errorMessage: 'x', retryBackOff: 0 });
    const j4 = await z.activateJobs({ type: 'server-work', worker: 'z', maxJobsToActivate: 10, timeout: 5000, requestTimeout: 5000 });
    console.log('SETVARS', JSON.stringify(j4.map(j=>j.variables)));
    console.log('TOPO', JSON.stringify(await z.topology()));
  } finally {
    await z.close();
    console.log('EXIT', JSON.stringify(await server.stop()));
    console.log(server.logs().filter(l => (l.level as number) >= 40).map(l => JSON.stringify(l)).join('\n'));
    await server.dispose();
  }
}, 60000);
