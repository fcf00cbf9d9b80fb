import { describe, expect, it } from 'vitest';
import { decodeClusterCommand, decodeClusterSnapshot, encodeClusterCommand, encodeClusterSnapshot } from '../../../src/cluster/main/codec.js';
import { EMPTY_CLUSTER_STATE } from '../../../src/cluster/main/types.js';
import { config, fold, member, node, nodeState, partitionLog } from './fixtures.js';
import type { ClusterCommand } from '../../../src/cluster/main/types.js';

const addresses = { host: 'zen-1.example', grpcPort: 26500, restPort: 8080, systemPort: 9600, privatePort: 26502 };

const cases: [string, ClusterCommand][] = [
  ['config change', { type: 'ClusterConfigChange', partitionCount: 3, replicationFactor: 3 }],
  ['config change with zero values', { type: 'ClusterConfigChange', partitionCount: 0, replicationFactor: 0 }],
  [
    'node change, every field',
    { type: 'ClusterNodeChange', nodeId: 7, state: 'ACTIVE', zone: 'eu-1a', addresses, controllerOnly: true, version: '0.1.0' },
  ],
  ['node change, only the id (all unset)', { type: 'ClusterNodeChange', nodeId: 0 }],
  ['node change, state DOWN', { type: 'ClusterNodeChange', nodeId: 2, state: 'DOWN' }],
  ['node change, state LEFT', { type: 'ClusterNodeChange', nodeId: 2, state: 'LEFT' }],
  [
    'node change, zero-valued but set fields',
    { type: 'ClusterNodeChange', nodeId: 1, zone: '', controllerOnly: false, version: '', addresses: { host: '', grpcPort: 0, restPort: 0, systemPort: 0, privatePort: 0 } },
  ],
  [
    'partition change, every field',
    { type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 2, state: 'ACTIVE', role: 'LEADER', term: 9_007_199_254_740_991 },
  ],
  ['partition change, all unset', { type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 1 }],
  ['partition change, JOINING', { type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 1, state: 'JOINING' }],
  ['partition change, LEAVING', { type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 1, state: 'LEAVING' }],
  ['partition change, REMOVED', { type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 1, state: 'REMOVED' }],
  ['partition change, FOLLOWER term 0', { type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 1, role: 'FOLLOWER', term: 0 }],
  ['partition change, INACTIVE', { type: 'ClusterNodePartitionChange', nodeId: 3, partitionId: 1, role: 'INACTIVE' }],
  // Real cluster ids use all 64 bits: a double would round this one.
  ['partition log change', { type: 'ClusterPartitionLogChange', partitionId: 4, etcdClusterId: 'fedcba9876543211' }],
];

describe('cluster command codec', () => {
  it.each(cases)('round-trips %s', (_name, command) => {
    const decoded = decodeClusterCommand(encodeClusterCommand(command));
    expect(decoded).toStrictEqual(command);
  });

  it('keeps unset fields absent rather than defaulted', () => {
    const decoded = decodeClusterCommand(encodeClusterCommand({ type: 'ClusterNodeChange', nodeId: 4, zone: '' }));
    expect(Object.keys(decoded).sort()).toEqual(['nodeId', 'type', 'zone']);
  });

  it('rejects numbers protobuf would silently mangle', () => {
    expect(() => encodeClusterCommand({ type: 'ClusterNodeChange', nodeId: -1 })).toThrow(/nodeId/);
    expect(() => encodeClusterCommand({ type: 'ClusterNodePartitionChange', nodeId: 1, partitionId: 1.5 })).toThrow(/partitionId/);
  });

  it('refuses an entry with no known variant', () => {
    expect(() => decodeClusterCommand(new Uint8Array())).toThrow(/no known variant/);
  });

  it('refuses an unknown enum value', () => {
    // node_change { node_id: 1, state: 99 }
    const bytes = Uint8Array.from([0x12, 0x04, 0x08, 0x01, 0x10, 0x63]);
    expect(() => decodeClusterCommand(bytes)).toThrow(/NodeState/);
  });
});

describe('cluster snapshot codec', () => {
  it('round-trips a folded state exactly, map order included', () => {
    const state = fold([
      config(3, 2),
      node(2, 'b'),
      node(1, 'a', { controllerOnly: true, version: '0.2.0' }),
      node(3, ''),
      member(2, 3, { state: 'JOINING' }),
      member(1, 2, { state: 'ACTIVE', role: 'LEADER', term: 9_007_199_254_740_991 }),
      member(1, 3, { state: 'LEAVING', role: 'FOLLOWER' }),
      nodeState(3, 'DOWN'),
      partitionLog(3, 'fedcba9876543211'),
      partitionLog(1, 'a1'),
    ]);
    const decoded = decodeClusterSnapshot(encodeClusterSnapshot(state));
    expect(decoded).toStrictEqual(state);
    expect([...decoded.nodes.keys()]).toEqual([2, 1, 3]);
    expect([...decoded.partitions.keys()]).toEqual([2, 1]);
    expect([...decoded.partitionLogs]).toEqual([[3, 'fedcba9876543211'], [1, 'a1']]);
    // Folding on from the snapshot gives what folding on from the original gives.
    const next = [member(1, 3, { role: 'LEADER', term: 10 }), nodeState(3, 'ACTIVE'), member(2, 1, { state: 'ACTIVE' }), partitionLog(1, 'b2'), partitionLog(2, 'b2')];
    expect(fold(next, decoded)).toStrictEqual(fold(next, state));
  });

  it('round-trips the empty state', () => {
    expect(decodeClusterSnapshot(encodeClusterSnapshot(EMPTY_CLUSTER_STATE))).toStrictEqual(EMPTY_CLUSTER_STATE);
  });
});
