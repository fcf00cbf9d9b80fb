import { describe, expect, it } from 'vitest';
import { placeLogs, unplacedPartitions } from '../../../src/cluster/main/log-placement.js';
import type { ClusterState } from '../../../src/cluster/main/types.js';
import { config, fold, partitionLog } from './fixtures.js';

const NONE = new Map<number, string[]>();

/** Folds the placement into the state and checks it converges: a second run places nothing. */
function settle(state: ClusterState, eligible: string[], found: ReadonlyMap<number, string[]> = NONE): ClusterState {
  const next = fold(placeLogs(state, eligible, found).commands, state);
  expect(placeLogs(next, eligible, found).commands).toEqual([]);
  return next;
}

const placements = (state: ClusterState) => Object.fromEntries([...state.partitionLogs].sort((a, b) => a[0] - b[0]));

describe('partition log placement', () => {
  it('spreads new logs evenly over the eligible clusters, in partition order', () => {
    const state = settle(fold([config(5, 3)]), ['b', 'a']);
    expect(placements(state)).toEqual({ 1: 'a', 2: 'b', 3: 'a', 4: 'b', 5: 'a' });
  });

  it('decides alike whatever order the clusters are listed in', () => {
    const state = fold([config(7, 1)]);
    const one = placeLogs(state, ['c', 'a', 'b'], NONE).commands;
    expect(placeLogs(state, ['b', 'c', 'a'], NONE).commands).toEqual(one);
    expect(placeLogs(state, ['a', 'a', 'b', 'c'], NONE).commands).toEqual(one);
  });

  it('never moves a placed log, and fills the emptier clusters first', () => {
    const state = settle(fold([config(6, 3), partitionLog(2, 'a'), partitionLog(4, 'a'), partitionLog(6, 'a')]), ['a', 'b', 'c']);
    expect(placements(state)).toEqual({ 1: 'b', 2: 'a', 3: 'c', 4: 'a', 5: 'b', 6: 'a' });
  });

  it('leaves logs placed on a cluster that is no longer eligible where they are, and does not count them', () => {
    const state = settle(fold([config(4, 1), partitionLog(1, 'old'), partitionLog(2, 'old')]), ['a', 'b']);
    expect(placements(state)).toEqual({ 1: 'old', 2: 'old', 3: 'a', 4: 'b' });
  });

  it('places a log found in one cluster there, eligible or not (a cluster that ran on the main etcd alone)', () => {
    const found = new Map([[1, ['main']], [3, ['b']]]);
    const state = settle(fold([config(4, 3)]), ['a', 'b'], found);
    expect(placements(state)).toEqual({ 1: 'main', 2: 'a', 3: 'b', 4: 'a' });
  });

  it('places nothing for a partition found in two clusters and reports it', () => {
    const result = placeLogs(fold([config(2, 1)]), ['a', 'b'], new Map([[2, ['b', 'a']]]));
    expect(result.commands).toEqual([{ type: 'ClusterPartitionLogChange', partitionId: 1, etcdClusterId: 'a' }]);
    expect(result.conflicts).toEqual([{ partitionId: 2, etcdClusterIds: ['a', 'b'] }]);
  });

  it('with no eligible cluster places only the logs it found', () => {
    const result = placeLogs(fold([config(3, 1)]), [], new Map([[2, ['main']]]));
    expect(result.commands).toEqual([{ type: 'ClusterPartitionLogChange', partitionId: 2, etcdClusterId: 'main' }]);
  });

  it('places nothing before the cluster has a configuration', () => {
    expect(placeLogs(fold([]), ['a'], NONE)).toEqual({ commands: [], conflicts: [] });
  });

  it('lists the partitions without a placement', () => {
    expect(unplacedPartitions(fold([config(4, 1), partitionLog(2, 'a'), partitionLog(9, 'a')]))).toEqual([1, 3, 4]);
  });
});
