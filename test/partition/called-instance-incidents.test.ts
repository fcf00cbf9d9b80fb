/**
 * A node with three partitions, in process: a caller's process instance read through the node
 * shows the incident of a child its call activity started on another partition.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { partitionOfKey } from '../../src/engine/state/engine-state.js';
import { ZenNode } from '../../src/node/zen-node.js';
import { Partition } from '../../src/partition/partition.js';
import { callActivity, chain, definitions, end, serviceTask, start } from '../fixtures/bpmn-builder.js';
import { waitFor } from '../support/server-client.js';

const logger = pino({ level: 'silent' });
const opened: Array<{ partitions: Partition[]; dir: string }> = [];

afterEach(async () => {
  for (const { partitions, dir } of opened.splice(0)) {
    for (const p of partitions) await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function threePartitionNode() {
  const dir = mkdtempSync(join(tmpdir(), 'zen-called-'));
  const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, 3, logger);
  const partitions = [1, 2, 3].map((partitionId) => new Partition({ partitionId, partitionCount: 3, dataDir: dir, syncMode: 'normal', maxBatchSize: 50, logger, metrics: null, host: node }));
  for (const p of partitions) node.addPartition(p);
  for (const p of partitions) await p.open();
  opened.push({ partitions, dir });
  return node;
}

it('a parent read through the node has hasIncident when its child on another partition has an incident', async () => {
  const node = await threePartitionNode();
  const xml = definitions([
    ['parent', [start(), callActivity('call', 'child'), end(), ...chain('start', 'call', 'end')]],
    ['child', [start('cs'), serviceTask('work', 'called-work'), end('ce'), ...chain('cs', 'work', 'ce')]],
  ]);
  await node.deploy({ resources: [{ name: 'p.bpmn', content: Buffer.from(xml) }], tenantId: '<default>' });
  // Children land where a hash of the call activity's key says: create until one is elsewhere.
  let found: { parent: bigint; childJob: bigint } | null = null;
  for (let i = 0; i < 30 && !found; i++) {
    const created = await node.createProcessInstance({ bpmnProcessId: 'parent', processDefinitionKey: null, version: -1, variables: {}, tenantId: '<default>' });
    const jobs = await waitFor('the child job', async () => {
      const batch = await node.activateJobs({ type: 'called-work', worker: 'w', timeoutMs: 60_000, maxJobsToActivate: 10, fetchVariables: [], requestTimeoutMs: 200, tenantIds: ['<default>'] }, new AbortController().signal);
      return batch.length > 0 ? batch : undefined;
    });
    const job = jobs[0]!;
    if (partitionOfKey(job.key) !== partitionOfKey(created.processInstanceKey)) found = { parent: created.processInstanceKey, childJob: job.key };
    else await node.completeJob(job.key, {});
  }
  expect(found, 'a child ran on another partition').not.toBeNull();
  expect((await node.getProcessInstance(found!.parent)).value.hasIncident).toBe(false);
  await node.failJob({ jobKey: found!.childJob, retries: 0, errorMessage: 'broken', retryBackOffMs: 0, variables: {} });
  await waitFor('the parent shows its remote child incident', async () => ((await node.getProcessInstance(found!.parent)).value.hasIncident ? true : undefined));
});
