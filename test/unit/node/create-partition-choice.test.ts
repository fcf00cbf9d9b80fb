/** Where a node sends new process instances: to a partition it leads while that keeps up, else round-robin. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CommandResponse } from '../../../src/engine/processing/types.js';
import type { PartitionDirectory } from '../../../src/node/local-directory.js';
import type { PartitionHandle } from '../../../src/node/partition-handle.js';
import { ZenNode } from '../../../src/node/zen-node.js';

const logger = pino({ level: 'silent' });

function handle(id: number, localBacklog: number | undefined): PartitionHandle & { created: number; backlog?: number } {
  const h = {
    id,
    isReady: true,
    created: 0,
    backlog: localBacklog,
    get localBacklog() {
      return this.backlog;
    },
    hasActivatableJobs: () => false,
    async submit(): Promise<CommandResponse> {
      h.created++;
      return { ok: true, key: (BigInt(id) << 51n) + BigInt(h.created), value: { processInstanceKey: 1n } };
    },
    submitAwaiting: async () => ({ ok: false, rejectionType: 'INVALID_STATE', reason: 'not used' }) as CommandResponse,
    deliver: () => {},
  };
  return h;
}

function nodeWith(handles: PartitionHandle[]): ZenNode {
  const directory: PartitionDirectory = {
    partitionCount: handles.length,
    handle: (id) => handles[id - 1]!,
    all: () => handles,
    topology: () => ({ brokers: [], clusterSize: 1, partitionsCount: handles.length, replicationFactor: 1, gatewayVersion: 'test' }),
    marks: () => [],
    read: () => Promise.reject(new Error('not used')),
  };
  return new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, handles.length, logger, directory);
}

const create = (node: ZenNode) =>
  node.createProcessInstance({ bpmnProcessId: 'p', processDefinitionKey: null, version: -1, variables: {}, tenantId: '<default>' });

describe('the partition a new instance goes to', () => {
  it('is one led here while its queue is short, round-robin over those led here', async () => {
    const handles = [handle(1, undefined), handle(2, 0), handle(3, 0)];
    const node = nodeWith(handles);
    for (let i = 0; i < 10; i++) await create(node);
    expect(handles.map((h) => h.created)).toEqual([0, 5, 5]);
  });

  it('is round-robin over every partition once the local queues are long', async () => {
    const handles = [handle(1, undefined), handle(2, 500), handle(3, undefined)];
    const node = nodeWith(handles);
    for (let i = 0; i < 9; i++) await create(node);
    expect(handles.map((h) => h.created)).toEqual([3, 3, 3]);
  });

  it('is round-robin when no partition is led here', async () => {
    const handles = [handle(1, undefined), handle(2, undefined), handle(3, undefined)];
    const node = nodeWith(handles);
    for (let i = 0; i < 6; i++) await create(node);
    expect(handles.map((h) => h.created)).toEqual([2, 2, 2]);
  });
});
