import { describe, expect, it } from 'vitest';
import { describeLocation, partitionLogLocation, type ReachableEtcds } from '../../../src/node/partition-log-location.js';
import { config, fold, partitionLog } from '../cluster/fixtures.js';

function etcds(known: string[], options: { configured?: boolean; settled?: boolean } = {}): ReachableEtcds {
  return { mainId: 'main', configured: options.configured ?? true, settled: options.settled ?? true, has: (id) => known.includes(id) };
}

describe('where a node finds a partition log', () => {
  const state = fold([config(3, 1), partitionLog(1, 'a'), partitionLog(2, 'main'), partitionLog(3, 'c')]);
  const unplaced = fold([config(3, 1)]);

  it('uses the etcd cluster the log is placed on, the main one included', () => {
    expect(partitionLogLocation(state, 1, etcds(['a']))).toEqual({ kind: 'etcd', id: 'a' });
    expect(partitionLogLocation(state, 2, etcds(['a']))).toEqual({ kind: 'etcd', id: 'main' });
  });

  it('cannot reach a log placed on a cluster it has no endpoints for, and says whether it is still identifying some', () => {
    expect(partitionLogLocation(state, 3, etcds(['a']))).toEqual({ kind: 'unreachable', id: 'c', stillIdentifying: false });
    expect(partitionLogLocation(state, 3, etcds(['a'], { settled: false }))).toEqual({ kind: 'unreachable', id: 'c', stillIdentifying: true });
    // A node without partition etcd clusters cannot reach a log placed on one either.
    expect(partitionLogLocation(state, 3, etcds([], { configured: false }))).toEqual({ kind: 'unreachable', id: 'c', stillIdentifying: false });
  });

  it('without a placement: the main etcd for a node without partition etcd clusters, else wait for the controller', () => {
    expect(partitionLogLocation(unplaced, 1, etcds([], { configured: false }))).toEqual({ kind: 'etcd', id: 'main' });
    expect(partitionLogLocation(unplaced, 1, etcds(['a']))).toEqual({ kind: 'unplaced' });
  });

  it('explains each case naming the partition, the cluster and the option to fix', () => {
    expect(describeLocation(3, { kind: 'unreachable', id: 'c', stillIdentifying: false })).toMatch(/partition 3's log is on etcd cluster c, which none of this node's .*--partition-etcd-endpoints reach/);
    expect(describeLocation(3, { kind: 'unreachable', id: 'c', stillIdentifying: true })).toMatch(/not among the clusters this node has identified so far/);
    expect(describeLocation(1, { kind: 'unplaced' })).toMatch(/partition 1 waits for the controller to place its log/);
  });
});
