import { describe, expect, it } from 'vitest';
import { Prng } from '../../chaos/prng.js';
import { describeSchedule, FAULT_KINDS, LANE_OF, planSchedule, type ScheduleOptions } from '../../chaos/schedule.js';

const base: ScheduleOptions = { seed: 42, faults: 100, minutes: 25, nodes: 5, etcdMembers: 3, kinds: [...FAULT_KINDS], diskFullNode: 4 };

describe('chaos PRNG', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = Array.from({ length: 8 }, ((r) => () => r.uint32())(new Prng(7)));
    const b = Array.from({ length: 8 }, ((r) => () => r.uint32())(new Prng(7)));
    const c = Array.from({ length: 8 }, ((r) => () => r.uint32())(new Prng(8)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('spreads int() over its whole range and stays inside it', () => {
    const r = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 9);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(9);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('forks independent streams: drawing from one does not move another', () => {
    const root = new Prng(5);
    const first = root.fork('schedule').uint32();
    root.fork('workload').uint32();
    expect(new Prng(5).fork('schedule').uint32()).toBe(first);
    expect(new Prng(5).fork('workload').uint32()).not.toBe(first);
  });
});

describe('chaos fault schedule', () => {
  it('replays: the same seed plans the same faults, another seed others', () => {
    expect(describeSchedule(planSchedule(base))).toEqual(describeSchedule(planSchedule(base)));
    expect(describeSchedule(planSchedule({ ...base, seed: 43 }))).not.toEqual(describeSchedule(planSchedule(base)));
  });

  it('plans exactly the faults asked for, every available kind at least once', () => {
    const schedule = planSchedule(base);
    expect(schedule).toHaveLength(100);
    expect(new Set(schedule.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    const few = planSchedule({ ...base, faults: 10, kinds: ['node-kill', 'etcd-pause', 'partition'] });
    expect(new Set(few.map((f) => f.kind))).toEqual(new Set(['node-kill', 'etcd-pause', 'partition']));
  });

  it('picks victims in range, disk-full always on the tmpfs node, lanes by kind', () => {
    for (const f of planSchedule(base)) {
      expect(f.lane).toBe(LANE_OF[f.kind]);
      if (f.lane === 'node') expect(f.victim).toBeLessThan(5);
      else expect(f.victim).toBeLessThan(3);
      if (f.kind === 'disk-full') expect(f.victim).toBe(4);
      if (f.kind === 'clock-jump') expect(f.jumpMs).toBeGreaterThanOrEqual(60_000);
      else expect(f.jumpMs).toBeUndefined();
      expect(f.durationMs).toBeGreaterThanOrEqual(1_000);
      expect(f.gapMs).toBeGreaterThan(0);
    }
  });

  it('paces each lane to roughly the minutes asked for', () => {
    const schedule = planSchedule(base);
    for (const lane of ['node', 'etcd'] as const) {
      const total = schedule.filter((f) => f.lane === lane).reduce((sum, f) => sum + f.gapMs + f.durationMs, 0);
      expect(total).toBeLessThan(25 * 60_000 * 1.3);
      expect(total).toBeGreaterThan(25 * 60_000 * 0.6);
    }
  });

  it('refuses a run without fault kinds or faults', () => {
    expect(() => planSchedule({ ...base, kinds: [] })).toThrow(/no fault kind/);
    expect(() => planSchedule({ ...base, faults: 0 })).toThrow(/at least one fault/);
  });
});
