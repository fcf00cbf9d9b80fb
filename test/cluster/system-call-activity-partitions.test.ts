/**
 * A call activity whose child runs on another partition (docs/adr/008), end to end on a real
 * cluster (1 etcd member, 2 `zen start` nodes, 3 partitions with RF 2, their leaders spread over
 * the nodes, so partitions talk across nodes too): instances created with a result wait while
 * their children, spread over the partitions, are worked by a client; each completes with what
 * its child handed back through its output mapping.
 */
import { expect, it } from 'vitest';
import { clusterForFile } from '../support/cluster-process.js';
import { describeWithEtcd } from '../support/etcd.js';
import { callActivity, chain, end, model, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { sleep } from '../support/server-client.js';

const INSTANCES = 9;

const CHILD = model('xcall-child', start('c_start'), serviceTask('c_task', 'xcall-work'), end('c_end'), ...chain('c_start', 'c_task', 'c_end'));
const PARENT = model(
  'xcall-parent',
  start(),
  callActivity('call', 'xcall-child', { propagateAllChildVariables: false, io: { inputs: [['=n', 'n']], outputs: [['=result', 'result']] } }),
  end(),
  ...chain('start', 'call', 'end'),
);

const partitionOf = (key: string | bigint) => Number(BigInt(key) >> 51n);

describeWithEtcd('cluster of real processes: call activities with their child on another partition', () => {
  const cluster = clusterForFile({ nodes: 2, etcdMembers: 1, partitions: 3, replicationFactor: 2, leaseTtl: 2 });

  it('creates the child on its partition, and the parent completes with the variables the worker gave the child', async () => {
    const c = cluster();
    const zeebe = c.client(0);
    await zeebe.deployResource({ process: Buffer.from(CHILD), name: 'xcall-child.bpmn' });
    await zeebe.deployResource({ process: Buffer.from(PARENT), name: 'xcall-parent.bpmn' });
    // The deployment reaches the other partitions on its own; a CREATE that comes first is re-sent.
    const results = Array.from({ length: INSTANCES }, (_, n) =>
      c.client(n % 2).createProcessInstanceWithResult({ bpmnProcessId: 'xcall-parent', variables: { n }, requestTimeout: 90_000 }),
    );

    const children = new Map<number, { childKey: string }>();
    const deadline = Date.now() + 90_000;
    while (children.size < INSTANCES && Date.now() < deadline) {
      const jobs = await c.client(1).activateJobs({ type: 'xcall-work', maxJobsToActivate: INSTANCES, timeout: 60_000, worker: 'xcall-test', requestTimeout: 2_000 });
      for (const job of jobs) {
        const n = Number(job.variables.n);
        const childKey = String(job.processInstanceKey);
        children.set(n, { childKey });
        await c.client(1).completeJob({ jobKey: job.key, variables: { result: n * 10, internal: 'stays in the child' } });
      }
      if (jobs.length === 0) await sleep(200);
    }
    expect(children.size, 'every child got its job').toBe(INSTANCES);

    const finished = await Promise.all(results);
    for (const done of finished) {
      const n = Number(done.variables.n);
      expect(done.variables, `instance ${done.processInstanceKey}`).toEqual({ n, result: n * 10 });
    }
    // The children ran on other partitions than their parents: at least one did, with 3 partitions and 9 calls.
    const byParent = new Map(finished.map((done) => [Number(done.variables.n), String(done.processInstanceKey)]));
    const elsewhere = [...children].filter(([n, { childKey }]) => partitionOf(childKey) !== partitionOf(byParent.get(n)!));
    console.info(
      `children: ${[...children].map(([n, { childKey }]) => `${n}: parent on ${partitionOf(byParent.get(n)!)}, child on ${partitionOf(childKey)}`).join('; ')}`,
    );
    expect(elsewhere.length, 'children that ran on another partition than their parent').toBeGreaterThan(0);

    // The history (ADR 010) has them all, finished, each partition answered by a follower.
    const search = async (body: unknown, strong = false) => {
      const response = await fetch(`http://127.0.0.1:${c.node(0).server.restPort}/v2/process-instances/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(strong ? { 'zen-consistency': 'strong' } : {}) },
        body: JSON.stringify(body),
      });
      return { json: (await response.json()) as { items: Array<{ processInstanceKey: string; parentProcessInstanceKey?: string; state: string }>; page: { totalItems: number } }, servedBy: response.headers.get('zen-served-by') ?? '' };
    };
    // Followers apply what the leader committed a moment later; `strong` waits for that.
    const parents = await search({ filter: { processDefinitionId: 'xcall-parent', state: 'COMPLETED' }, page: { limit: 50 } }, true);
    expect(parents.json.page.totalItems).toBe(INSTANCES);
    expect(parents.servedBy.split(', ').map((s) => s.split('/')[1])).toEqual(['FOLLOWER', 'FOLLOWER', 'FOLLOWER']);
    const childrenFound = await search({ filter: { processDefinitionId: 'xcall-child', parentProcessInstanceKey: { $exists: true } }, page: { limit: 50 } });
    expect(new Set(childrenFound.json.items.map((i) => i.parentProcessInstanceKey))).toEqual(new Set(byParent.values()));
  }, 180_000);
});
