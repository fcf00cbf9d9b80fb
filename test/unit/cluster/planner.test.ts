import { describe, expect, it } from 'vitest';
import { marksDown, plan, planDetailed, trackShortGroups } from '../../../src/cluster/main/planner.js';
import type { ClusterCommand, ClusterState } from '../../../src/cluster/main/types.js';
import { config, fold, groups, member, node, nodeState } from './fixtures.js';

const DELAY = 10_000;
const NOW = 1_000_000;

function cluster(partitions: number, rf: number, zones: string[], extra: ClusterCommand[] = []): ClusterState {
  return fold([config(partitions, rf), ...zones.map((zone, i) => node(i + 1, zone)), ...extra]);
}

function ids(...values: number[]): Set<number> {
  return new Set(values);
}

/** Applies plans until the planner has nothing more to say (it must converge in one step). */
function settle(state: ClusterState, live: Set<number>, shortSince = new Map<number, number>(), now = NOW): ClusterState {
  const commands = plan(state, now, live, shortSince, DELAY);
  const next = fold(commands, state);
  expect(plan(next, now, live, shortSince, DELAY)).toEqual([]);
  return next;
}

function loads(state: ClusterState): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const members of state.partitions.values()) for (const id of members.keys()) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

function zonesOf(state: ClusterState, partitionId: number): string[] {
  return [...state.partitions.get(partitionId)!.keys()].map((id) => state.nodes.get(id)!.zone).sort();
}

describe('planner: initial assignment', () => {
  const cases: [string, number, number, string[], Record<number, number[]>][] = [
    ['3 nodes, 3 partitions, RF 3', 3, 3, ['a', 'b', 'c'], { 1: [1, 2, 3], 2: [1, 2, 3], 3: [1, 2, 3] }],
    ['5 nodes in zones a,a,b,b,c, 5 partitions, RF 3', 5, 3, ['a', 'a', 'b', 'b', 'c'], { 1: [1, 3, 5], 2: [2, 4, 5], 3: [1, 3, 5], 4: [2, 4, 5], 5: [1, 3, 5] }],
    ['single zone, 4 nodes, 4 partitions, RF 2', 4, 2, ['z', 'z', 'z', 'z'], { 1: [1, 2], 2: [3, 4], 3: [1, 2], 4: [3, 4] }],
    ['single zone, 3 nodes, 3 partitions, RF 1', 3, 1, ['z', 'z', 'z'], { 1: [1], 2: [2], 3: [3] }],
    ['2 zones, 4 nodes, 2 partitions, RF 3', 2, 3, ['a', 'a', 'b', 'b'], { 1: [1, 2, 3], 2: [1, 2, 4] }],
  ];
  it.each(cases)('%s', (_name, partitions, rf, zones, expected) => {
    const live = ids(...zones.map((_, i) => i + 1));
    const state = settle(cluster(partitions, rf, zones), live);
    expect(groups(state)).toEqual(expected);
    for (const members of state.partitions.values()) for (const m of members.values()) expect(m.state).toBe('ACTIVE');
  });

  it('spreads every group over more than one zone when there are several', () => {
    const zones = ['a', 'a', 'a', 'b', 'b', 'b', 'c'];
    const state = settle(cluster(12, 3, zones), ids(1, 2, 3, 4, 5, 6, 7));
    for (let p = 1; p <= 12; p++) {
      expect(new Set(zonesOf(state, p)).size, `partition ${p}`).toBe(3);
    }
    // Node 7 is the only node of zone c, so it is in every group; the rest share evenly.
    const load = loads(state);
    expect(load[7]).toBe(12);
    const others = [1, 2, 3, 4, 5, 6].map((id) => load[id]!);
    expect(Math.max(...others) - Math.min(...others)).toBeLessThanOrEqual(1);
  });

  it('balances memberships over equal nodes', () => {
    const state = settle(cluster(10, 3, ['z', 'z', 'z', 'z', 'z']), ids(1, 2, 3, 4, 5));
    expect(Object.values(loads(state)).sort()).toEqual([6, 6, 6, 6, 6]);
  });

  it('never assigns a controller-only node', () => {
    const state = cluster(3, 3, ['a', 'b', 'c', 'd'], [node(4, 'd', { controllerOnly: true })]);
    const result = settle(state, ids(1, 2, 3, 4));
    expect(groups(result)).toEqual({ 1: [1, 2, 3], 2: [1, 2, 3], 3: [1, 2, 3] });
  });

  it('never assigns a node without a live registration, or one not ACTIVE', () => {
    const state = cluster(2, 2, ['a', 'b', 'c', 'd'], [nodeState(4, 'DOWN')]);
    const result = settle(state, ids(1, 2, 4));
    expect(groups(result)).toEqual({ 1: [1, 2], 2: [1, 2] });
  });

  it('does nothing without a configuration', () => {
    expect(plan(fold([node(1)]), NOW, ids(1), new Map(), DELAY)).toEqual([]);
  });

  it('waits for R eligible nodes before assigning, unless the group has been short long enough', () => {
    const state = cluster(2, 3, ['a', 'b']);
    const early = planDetailed(state, NOW, ids(1, 2), new Map([[1, NOW], [2, NOW]]), DELAY);
    expect(early).toEqual({ commands: [], shortfalls: [], waiting: [1, 2] });
    const waited = new Map([[1, NOW - DELAY], [2, NOW - DELAY]]);
    const result = planDetailed(state, NOW, ids(1, 2), waited, DELAY);
    expect(groups(fold(result.commands, state))).toEqual({ 1: [1, 2], 2: [1, 2] });
    expect(result.shortfalls).toEqual([
      { partitionId: 1, members: 2, wanted: 3 },
      { partitionId: 2, members: 2, wanted: 3 },
    ]);
  });

  it('reports no shortfall when every group is whole', () => {
    const state = settle(cluster(3, 3, ['a', 'b', 'c']), ids(1, 2, 3));
    expect(planDetailed(state, NOW, ids(1, 2, 3), new Map(), DELAY).shortfalls).toEqual([]);
  });

  it('fills an empty slot at once when a node joins (no dead member involved)', () => {
    const waited = new Map([[1, NOW - DELAY]]);
    const two = fold(plan(cluster(1, 3, ['a', 'b']), NOW, ids(1, 2), waited, DELAY), cluster(1, 3, ['a', 'b']));
    expect(groups(two)).toEqual({ 1: [1, 2] });
    const withThird = fold([node(3, 'c')], two);
    expect(plan(withThird, NOW, ids(1, 2, 3), new Map([[1, NOW]]), DELAY)).toEqual([member(1, 3, { state: 'ACTIVE' })]);
  });
});

describe('planner: a node goes away', () => {
  // 4 nodes in 4 zones, 4 partitions, RF 3: every node is in 3 groups.
  const zones = ['a', 'b', 'c', 'd'];
  const initial = settle(cluster(4, 3, zones), ids(1, 2, 3, 4));
  const withoutNode2 = ids(1, 3, 4);
  const node2Groups = [...initial.partitions].filter(([, m]) => m.has(2)).map(([p]) => p);

  it('the setup puts node 2 in three groups', () => {
    expect(node2Groups).toHaveLength(3);
  });

  it('changes nothing while the groups have been short for less than the delay', () => {
    const down = fold(marksDown(initial, withoutNode2), initial);
    const shortSince = trackShortGroups(down, withoutNode2, new Map(), NOW - DELAY + 1);
    expect(plan(down, NOW, withoutNode2, shortSince, DELAY)).toEqual([]);
  });

  it('replaces the dead member once the delay has passed, then removes it', () => {
    const down = fold(marksDown(initial, withoutNode2), initial);
    const shortSince = trackShortGroups(down, withoutNode2, new Map(), NOW - DELAY);
    const commands = plan(down, NOW, withoutNode2, shortSince, DELAY);
    const groupsWithout2 = [1, 2, 3, 4].filter((p) => !node2Groups.includes(p));
    // Only node 2's groups change, and the node with room (not yet in the group) joins each.
    for (const p of node2Groups) {
      const mine = commands.filter((c) => c.type === 'ClusterNodePartitionChange' && c.partitionId === p);
      const replacement = [1, 3, 4].find((id) => !initial.partitions.get(p)!.has(id))!;
      expect(mine).toEqual([member(p, replacement, { state: 'ACTIVE' }), member(p, 2, { state: 'REMOVED' })]);
    }
    for (const p of groupsWithout2) expect(commands.some((c) => c.type === 'ClusterNodePartitionChange' && c.partitionId === p)).toBe(false);
    const after = fold(commands, down);
    expect(groups(after)).toEqual({ 1: [1, 3, 4], 2: [1, 3, 4], 3: [1, 3, 4], 4: [1, 3, 4] });
  });

  it('leaves everything alone when the node comes back before the delay', () => {
    const down = fold(marksDown(initial, withoutNode2), initial);
    const back = fold([node(2, 'b')], down);
    const shortSince = trackShortGroups(back, ids(1, 2, 3, 4), new Map([[1, NOW - 1]]), NOW);
    expect(shortSince.size).toBe(0);
    expect(plan(back, NOW, ids(1, 2, 3, 4), shortSince, DELAY)).toEqual([]);
    expect(groups(back)).toEqual(groups(initial));
  });

  it('does not move members back to a node that returns after being replaced (no churn)', () => {
    const down = fold(marksDown(initial, withoutNode2), initial);
    const replaced = fold(plan(down, NOW, withoutNode2, new Map([1, 2, 3, 4].map((p) => [p, NOW - DELAY])), DELAY), down);
    const back = fold([node(2, 'b')], replaced);
    const all = ids(1, 2, 3, 4);
    expect(plan(back, NOW + 1, all, trackShortGroups(back, all, new Map(), NOW + 1), DELAY)).toEqual([]);
  });

  it('keeps a dead member when no replacement exists', () => {
    const three = settle(cluster(1, 3, ['a', 'b', 'c']), ids(1, 2, 3));
    const down = fold(marksDown(three, ids(1, 2)), three);
    const result = planDetailed(down, NOW, ids(1, 2), new Map([[1, 0]]), DELAY);
    expect(result.commands).toEqual([]);
    expect(groups(down)).toEqual({ 1: [1, 2, 3] });
  });

  it('reassigns the members of a node that LEFT at once, without waiting', () => {
    const left = fold([nodeState(2, 'LEFT')], initial);
    const commands = plan(left, NOW, withoutNode2, new Map(), DELAY);
    expect(groups(fold(commands, left))).toEqual({ 1: [1, 3, 4], 2: [1, 3, 4], 3: [1, 3, 4], 4: [1, 3, 4] });
  });

  it('removes the members of a LEFT node even with no replacement', () => {
    const state = settle(cluster(1, 2, ['a', 'b']), ids(1, 2));
    const left = fold([nodeState(2, 'LEFT')], state);
    expect(plan(left, NOW, ids(1), new Map(), DELAY)).toEqual([member(1, 2, { state: 'REMOVED' })]);
  });

  it('replaces with zone diversity: a dead zone-b member is replaced from zone b if possible', () => {
    const state = settle(cluster(1, 3, ['a', 'b', 'c', 'b', 'a']), ids(1, 2, 3, 4, 5));
    expect(groups(state)).toEqual({ 1: [1, 2, 3] });
    const live = ids(1, 3, 4, 5);
    const down = fold(marksDown(state, live), state);
    const commands = plan(down, NOW, live, new Map([[1, NOW - DELAY]]), DELAY);
    expect(commands).toEqual([member(1, 4, { state: 'ACTIVE' }), member(1, 2, { state: 'REMOVED' })]);
  });
});

describe('planner: replication factor changes', () => {
  it('grows groups when the factor goes up', () => {
    const state = settle(cluster(2, 2, ['a', 'b', 'c']), ids(1, 2, 3));
    const raised = fold([config(2, 3)], state);
    expect(groups(settle(raised, ids(1, 2, 3)))).toEqual({ 1: [1, 2, 3], 2: [1, 2, 3] });
  });

  it('shrinks groups when the factor goes down, sparing the leader', () => {
    const state = settle(cluster(1, 3, ['a', 'b', 'c']), ids(1, 2, 3));
    const lowered = fold([member(1, 3, { role: 'LEADER', term: 4 }), config(1, 1)], state);
    expect(groups(settle(lowered, ids(1, 2, 3)))).toEqual({ 1: [3] });
  });
});

describe('planner: determinism', () => {
  it('gives the same plan for the same inputs, whatever order the nodes registered in', () => {
    const zones = ['a', 'a', 'b', 'b', 'c', 'c'];
    const forward = fold([config(6, 3), ...zones.map((z, i) => node(i + 1, z))]);
    const backward = fold([config(6, 3), ...zones.map((z, i) => node(i + 1, z)).reverse()]);
    const live = ids(6, 5, 4, 3, 2, 1);
    const a = plan(forward, NOW, live, new Map(), DELAY);
    expect(plan(forward, NOW, live, new Map(), DELAY)).toEqual(a);
    expect(plan(backward, NOW, ids(1, 2, 3, 4, 5, 6), new Map(), DELAY)).toEqual(a);
  });

  it('keeps its invariants over random clusters and failures', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const nodeCount = 1 + random(8);
      const zoneNames = ['a', 'b', 'c'].slice(0, 1 + random(3));
      const rf = 1 + random(4);
      const partitions = 1 + random(6);
      const zones = Array.from({ length: nodeCount }, () => zoneNames[random(zoneNames.length)]!);
      let live = new Set(zones.map((_, i) => i + 1));
      let state = settle(cluster(partitions, rf, zones), live, new Map(), NOW);
      // Kill a random node, wait out the delay, settle again.
      const victim = 1 + random(nodeCount);
      live = new Set([...live].filter((id) => id !== victim));
      state = fold(marksDown(state, live), state);
      const expired = new Map(Array.from({ length: partitions }, (_, i) => [i + 1, NOW - DELAY] as [number, number]));
      state = settle(state, live, expired);

      const usedZones = new Set(zones.filter((_, i) => live.has(i + 1)));
      for (let p = 1; p <= partitions; p++) {
        const members = [...(state.partitions.get(p)?.keys() ?? [])];
        const liveMembers = members.filter((id) => live.has(id));
        expect(members.length, `round ${round} partition ${p}`).toBeLessThanOrEqual(Math.max(rf, 0));
        expect(liveMembers.length).toBe(Math.min(rf, live.size));
        if (usedZones.size > 1 && liveMembers.length > 1) {
          expect(new Set(liveMembers.map((id) => zones[id - 1])).size, `round ${round} partition ${p} zones`).toBeGreaterThan(1);
        }
      }
    }
  });
});

describe('planner: marking nodes down', () => {
  it('marks ACTIVE nodes without a live registration DOWN, in id order', () => {
    const state = cluster(1, 1, ['a', 'b', 'c', 'd'], [nodeState(4, 'LEFT')]);
    expect(marksDown(state, ids(2))).toEqual([nodeState(1, 'DOWN'), nodeState(3, 'DOWN')]);
  });

  it('leaves DOWN and LEFT nodes alone', () => {
    const state = cluster(1, 1, ['a', 'b'], [nodeState(1, 'DOWN'), nodeState(2, 'LEFT')]);
    expect(marksDown(state, ids())).toEqual([]);
  });
});

describe('planner: tracking short groups', () => {
  it('starts, carries and ends the clock per group', () => {
    const state = settle(cluster(2, 2, ['a', 'b', 'c']), ids(1, 2, 3));
    // Groups: 1 = [1, 2], 2 = [1, 3]... whichever: find node 2's group.
    const withNode2 = [...state.partitions].filter(([, m]) => m.has(2)).map(([p]) => p);
    const first = trackShortGroups(state, ids(1, 3), new Map(), 100);
    expect([...first.keys()]).toEqual(withNode2);
    expect(trackShortGroups(state, ids(1, 3), first, 500).get(withNode2[0]!)).toBe(100);
    expect(trackShortGroups(state, ids(1, 2, 3), first, 500).size).toBe(0);
  });
});
