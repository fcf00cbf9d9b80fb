import { describe, expect, it } from 'vitest';
import { reduce } from '../../../src/cluster/main/reducer.js';
import { type ClusterCommand, EMPTY_CLUSTER_STATE, leaderOf } from '../../../src/cluster/main/types.js';
import { addressesOf, config, fold, member, membersView, node, nodeState, partitionLog } from './fixtures.js';

describe('cluster reducer: configuration', () => {
  const cases: [string, ClusterCommand[], { partitionCount: number; replicationFactor: number } | null][] = [
    ['empty log has no config', [], null],
    ['first config is taken', [config(3, 3)], { partitionCount: 3, replicationFactor: 3 }],
    ['replication factor may change later', [config(3, 3), config(3, 1)], { partitionCount: 3, replicationFactor: 1 }],
    ['a different partition count is ignored', [config(3, 3), config(4, 3)], { partitionCount: 3, replicationFactor: 3 }],
    ['a different partition count is ignored even with a new factor', [config(3, 3), config(5, 1)], { partitionCount: 3, replicationFactor: 3 }],
  ];
  it.each(cases)('%s', (_name, commands, expected) => {
    const state = fold(commands);
    expect(state.config).toEqual(expected);
    expect(state.version).toBe(commands.length);
  });
});

describe('cluster reducer: nodes', () => {
  it('registers a node with all its fields', () => {
    const state = fold([config(1, 1), node(1, 'a')]);
    expect(state.nodes.get(1)).toEqual({
      nodeId: 1, zone: 'a', state: 'ACTIVE', addresses: addressesOf(1), controllerOnly: false, version: '1', since: 2,
    });
  });

  const nodeCases: [string, ClusterCommand[], Record<string, unknown>][] = [
    ['a state change keeps the other fields', [node(1, 'a'), nodeState(1, 'DOWN')], { state: 'DOWN', zone: 'a', since: 2 }],
    ['a new address replaces the old', [node(1, 'a'), { type: 'ClusterNodeChange', nodeId: 1, addresses: addressesOf(9) }], { addresses: addressesOf(9), zone: 'a' }],
    ['DOWN then ACTIVE', [node(1, 'a'), nodeState(1, 'DOWN'), nodeState(1, 'ACTIVE')], { state: 'ACTIVE', since: 3 }],
    ['an unknown node starts from defaults', [{ type: 'ClusterNodeChange', nodeId: 5, state: 'DOWN' }], { state: 'DOWN', zone: '', controllerOnly: false, version: '' }],
    ['controllerOnly and version merge', [node(1, 'a'), { type: 'ClusterNodeChange', nodeId: 1, controllerOnly: true, version: '2' }], { controllerOnly: true, version: '2', zone: 'a' }],
  ];
  it.each(nodeCases)('%s', (_name, commands, expected) => {
    expect(fold(commands).nodes.get(commands[0]!.type === 'ClusterNodeChange' ? commands[0]!.nodeId : 0)).toMatchObject(expected);
  });

  const downCases: [string, 'DOWN' | 'LEFT'][] = [['DOWN', 'DOWN'], ['LEFT', 'LEFT']];
  it.each(downCases)('a node going %s keeps its memberships, all INACTIVE', (_name, state) => {
    const s = fold([
      config(2, 2), node(1), node(2),
      member(1, 1, { state: 'ACTIVE', role: 'LEADER', term: 10 }), member(1, 2, { state: 'ACTIVE', role: 'FOLLOWER' }),
      member(2, 1, { state: 'ACTIVE', role: 'FOLLOWER' }), member(2, 2, { state: 'ACTIVE', role: 'LEADER', term: 11 }),
      nodeState(1, state),
    ]);
    expect(membersView(s)).toEqual({
      1: { 1: 'ACTIVE INACTIVE 0', 2: 'ACTIVE FOLLOWER 0' },
      2: { 1: 'ACTIVE INACTIVE 0', 2: 'ACTIVE LEADER 11' },
    });
    expect(leaderOf(s, 1)).toBeNull();
    expect(leaderOf(s, 2)?.nodeId).toBe(2);
  });
});

describe('cluster reducer: partition members', () => {
  const join = (partitionId: number, nodeId: number) => member(partitionId, nodeId, { state: 'JOINING' });
  const base = [config(2, 3), node(1, 'a'), node(2, 'b'), node(3, 'c')];
  const cases: [string, ClusterCommand[], Record<number, Record<number, string>>][] = [
    ['a new member is created by an assignment, role INACTIVE', [member(1, 1, { state: 'JOINING' })], { 1: { 1: 'JOINING INACTIVE 0' } }],
    ['a role-only change does not create a member', [member(1, 1, { role: 'LEADER', term: 5 })], {}],
    [
      'a removed member announcing leadership stays removed',
      [member(1, 1, { state: 'ACTIVE' }), member(1, 2, { state: 'ACTIVE', role: 'LEADER', term: 3 }), member(1, 2, { state: 'REMOVED' }), member(1, 2, { role: 'LEADER', term: 9 })],
      { 1: { 1: 'ACTIVE INACTIVE 0' } },
    ],
    ['the controller adds a member ACTIVE', [member(1, 1, { state: 'ACTIVE' })], { 1: { 1: 'ACTIVE INACTIVE 0' } }],
    ['fields merge', [member(1, 1, { state: 'ACTIVE' }), member(1, 1, { role: 'FOLLOWER' })], { 1: { 1: 'ACTIVE FOLLOWER 0' } }],
    ['REMOVED drops the member', [join(1, 1), join(1, 2), member(1, 1, { state: 'REMOVED' })], { 1: { 2: 'JOINING INACTIVE 0' } }],
    ['REMOVED of the last member drops the group', [join(1, 1), member(1, 1, { state: 'REMOVED' })], {}],
    ['REMOVED of a non-member changes nothing', [join(1, 1), member(1, 2, { state: 'REMOVED' })], { 1: { 1: 'JOINING INACTIVE 0' } }],
    ['a leader keeps its term', [member(1, 1, { state: 'ACTIVE', role: 'LEADER', term: 5 })], { 1: { 1: 'ACTIVE LEADER 5' } }],
    ['a non-leader role clears the term', [join(1, 1), member(1, 1, { role: 'LEADER', term: 5 }), member(1, 1, { role: 'FOLLOWER', term: 7 })], { 1: { 1: 'JOINING FOLLOWER 0' } }],
    [
      'a newer leader demotes the stale one',
      [join(1, 1), join(1, 2), member(1, 1, { role: 'LEADER', term: 5 }), member(1, 2, { role: 'LEADER', term: 8 })],
      { 1: { 1: 'JOINING FOLLOWER 0', 2: 'JOINING LEADER 8' } },
    ],
    [
      'a stale leader announcement (lower term) is recorded as FOLLOWER',
      [join(1, 1), join(1, 2), member(1, 2, { role: 'LEADER', term: 8 }), member(1, 1, { role: 'LEADER', term: 5 })],
      { 1: { 1: 'JOINING FOLLOWER 0', 2: 'JOINING LEADER 8' } },
    ],
    [
      'an equal term does not unseat the leader',
      [join(1, 1), join(1, 2), member(1, 2, { role: 'LEADER', term: 8 }), member(1, 1, { role: 'LEADER', term: 8 })],
      { 1: { 1: 'JOINING FOLLOWER 0', 2: 'JOINING LEADER 8' } },
    ],
    [
      'leaders of other partitions are untouched',
      [join(1, 1), join(2, 2), member(1, 1, { role: 'LEADER', term: 5 }), member(2, 2, { role: 'LEADER', term: 9 })],
      { 1: { 1: 'JOINING LEADER 5' }, 2: { 2: 'JOINING LEADER 9' } },
    ],
    [
      're-announcing with a higher term keeps leading',
      [join(1, 1), member(1, 1, { role: 'LEADER', term: 5 }), member(1, 1, { role: 'LEADER', term: 9 })],
      { 1: { 1: 'JOINING LEADER 9' } },
    ],
    [
      'a DOWN node cannot become leader',
      [member(1, 1, { state: 'ACTIVE' }), nodeState(1, 'DOWN'), member(1, 1, { role: 'LEADER', term: 5 })],
      { 1: { 1: 'ACTIVE INACTIVE 0' } },
    ],
    [
      'a DOWN node still changes member state',
      [member(1, 1, { state: 'JOINING' }), nodeState(1, 'DOWN'), member(1, 1, { state: 'ACTIVE', role: 'FOLLOWER' })],
      { 1: { 1: 'ACTIVE INACTIVE 0' } },
    ],
    [
      'a node back ACTIVE can lead again',
      [member(1, 1, { state: 'ACTIVE', role: 'LEADER', term: 3 }), nodeState(1, 'DOWN'), nodeState(1, 'ACTIVE'), member(1, 1, { role: 'LEADER', term: 6 })],
      { 1: { 1: 'ACTIVE LEADER 6' } },
    ],
  ];
  it.each(cases)('%s', (_name, commands, expected) => {
    expect(membersView(fold([...base, ...commands]))).toEqual(expected);
  });

  it('stamps members with the sequence number of their last change', () => {
    const s = fold([...base, join(1, 1), join(1, 2), member(1, 1, { role: 'FOLLOWER' })]);
    expect(s.partitions.get(1)?.get(1)?.since).toBe(7);
    expect(s.partitions.get(1)?.get(2)?.since).toBe(6);
  });
});

describe('cluster reducer: partition log placement', () => {
  it('records the etcd cluster of each partition log', () => {
    const state = fold([config(3, 1), partitionLog(2, 'b'), partitionLog(1, 'a')]);
    expect([...state.partitionLogs]).toEqual([[2, 'b'], [1, 'a']]);
    expect(state.version).toBe(3);
  });

  it('keeps the first placement: a log is never moved by a later change', () => {
    const state = fold([config(2, 1), partitionLog(1, 'a'), partitionLog(1, 'b'), partitionLog(1, 'a')]);
    expect(state.partitionLogs.get(1)).toBe('a');
    expect(state.version).toBe(4);
  });

  it('leaves members and nodes alone', () => {
    const before = fold([config(2, 1), node(1), member(1, 1, { state: 'ACTIVE', role: 'LEADER', term: 3 })]);
    const after = fold([partitionLog(1, 'a')], before);
    expect(after.partitions).toBe(before.partitions);
    expect(after.nodes).toBe(before.nodes);
  });
});

describe('cluster reducer: purity and determinism', () => {
  const sequence: ClusterCommand[] = [
    config(3, 3), node(1, 'a'), node(2, 'b'), node(3, 'c', { controllerOnly: true }),
    member(1, 1, { state: 'ACTIVE' }), member(1, 2, { state: 'ACTIVE' }), member(2, 2, { state: 'ACTIVE' }),
    member(1, 1, { role: 'LEADER', term: 4 }), member(1, 2, { role: 'LEADER', term: 7 }), nodeState(2, 'DOWN'),
    config(4, 1), config(3, 2), member(2, 2, { state: 'REMOVED' }), member(3, 1, { state: 'ACTIVE' }),
    node(2, 'b', { version: '2' }), member(1, 2, { role: 'LEADER', term: 12 }),
    partitionLog(1, 'e1'), partitionLog(3, 'e2'), partitionLog(1, 'e2'),
  ];

  it('folding the same sequence twice gives deep-equal states', () => {
    expect(fold(sequence)).toEqual(fold(sequence));
  });

  it.each([1, 2, 3, 5, 7])('folding in chunks of %i equals folding at once', (size) => {
    let state = EMPTY_CLUSTER_STATE;
    for (let i = 0; i < sequence.length; i += size) state = fold(sequence.slice(i, i + size), state);
    expect(state).toEqual(fold(sequence));
  });

  it('never mutates its input', () => {
    const before = fold(sequence.slice(0, 9));
    const snapshot = structuredClone(before);
    for (const command of sequence.slice(9)) reduce(before, command, before.version + 1);
    expect(before).toEqual(snapshot);
  });

  it('ignores a command at or below the folded version (overlapping reads)', () => {
    const state = fold(sequence);
    expect(reduce(state, nodeState(1, 'LEFT'), state.version)).toBe(state);
    expect(reduce(state, nodeState(1, 'LEFT'), 1)).toBe(state);
  });

  it('has the expected end state', () => {
    const state = fold(sequence);
    expect(state.config).toEqual({ partitionCount: 3, replicationFactor: 2 });
    expect(state.nodes.get(2)).toMatchObject({ state: 'ACTIVE', version: '2' });
    expect(membersView(state)).toEqual({ 1: { 1: 'ACTIVE FOLLOWER 0', 2: 'ACTIVE LEADER 12' }, 3: { 1: 'ACTIVE INACTIVE 0' } });
    expect([...state.partitionLogs]).toEqual([[1, 'e1'], [3, 'e2']]);
  });
});
