import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZenCluster, rolesOf } from '../support/cluster-process.js';
import { deployFixtures } from '../support/server-client.js';

let cluster: ZenCluster;
beforeAll(async () => { const t=Date.now(); cluster = await ZenCluster.start(); console.log('started in', Date.now()-t); }, 120_000);
afterAll(async () => { await cluster?.dispose(); });

describe('scratch', () => {
  it('topology', async () => {
    const t = Date.now();
    const r = await cluster.waitForLeaders({ members: [0,1,2] });
    console.log('leaders after', Date.now()-t, JSON.stringify(r.topology, null, 1));
    await deployFixtures(cluster.client(0), 'server-one-task.bpmn');
    const res = [];
    for (let i = 0; i < 9; i++) res.push(await cluster.client(i%3).createProcessInstance({ bpmnProcessId: 'server-one-task', variables: { i } }));
    console.log(res.map(r=>r.processInstanceKey));
    const jobs = await cluster.client(1).activateJobs({ type: 'server-work', worker: 'w', maxJobsToActivate: 100, timeout: 10000, requestTimeout: 2000 });
    console.log(jobs.length);
  }, 120_000);
});
