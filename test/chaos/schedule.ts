/**
 * The fault schedule: a pure function of the seed and the run's shape, so that a printed seed
 * replays the same faults in the same order on the same victims with the same durations.
 *
 * Faults run in two lanes, each one fault at a time: the node lane (a node killed, paused,
 * partitioned, its disk filled, the engine clock jumped through it, its own wall clock jumped)
 * and the etcd lane (a member killed or paused). So at most one node and one etcd member are
 * ever down together, and the cluster (3+ nodes, 3 members) keeps a majority of both: every
 * fault is recoverable.
 */
import { Prng } from './prng.js';

export const FAULT_KINDS = ['node-kill', 'node-pause', 'partition', 'disk-full', 'clock-jump', 'node-clock-jump', 'etcd-kill', 'etcd-pause'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type Lane = 'node' | 'etcd';

export const LANE_OF: Readonly<Record<FaultKind, Lane>> = {
  'node-kill': 'node',
  'node-pause': 'node',
  partition: 'node',
  'disk-full': 'node',
  'clock-jump': 'node',
  'node-clock-jump': 'node',
  'etcd-kill': 'etcd',
  'etcd-pause': 'etcd',
};

/** How often each kind is drawn once every available kind has had its turn. */
const WEIGHT: Readonly<Record<FaultKind, number>> = {
  'node-kill': 3,
  'node-pause': 2,
  partition: 2,
  'disk-full': 1,
  'clock-jump': 1,
  'node-clock-jump': 1,
  'etcd-kill': 2,
  'etcd-pause': 1,
};

/** [min, max] ms a fault lasts before it is healed; pauses and partitions straddle the 2 s lease TTL. */
const DURATION: Readonly<Record<FaultKind, readonly [number, number]>> = {
  'node-kill': [1_000, 5_000],
  'node-pause': [1_000, 6_000],
  partition: [2_000, 8_000],
  'disk-full': [2_000, 6_000],
  'clock-jump': [2_000, 6_000],
  'node-clock-jump': [2_000, 8_000],
  'etcd-kill': [1_000, 5_000],
  'etcd-pause': [1_000, 5_000],
};

/** What healing costs beyond the duration (a node restarting, etcd rejoining), for pacing. */
const HEAL_MS: Readonly<Record<FaultKind, number>> = {
  'node-kill': 4_000,
  'node-pause': 500,
  partition: 500,
  'disk-full': 1_000,
  'clock-jump': 500,
  // The jump and its undoing are each confirmed by the node's clock (up to about 3 s apiece).
  'node-clock-jump': 3_000,
  'etcd-kill': 1_500,
  'etcd-pause': 500,
};

export interface ScheduleOptions {
  readonly seed: number;
  readonly faults: number;
  readonly minutes: number;
  readonly nodes: number;
  readonly etcdMembers: number;
  /** The kinds this machine allows (see capabilities.ts). */
  readonly kinds: readonly FaultKind[];
  /** The node whose data dir is on a small tmpfs (disk-full always hits it). */
  readonly diskFullNode: number;
}

export interface PlannedFault {
  readonly seq: number;
  readonly kind: FaultKind;
  readonly lane: Lane;
  /** Node id for node faults, etcd member index for etcd faults. */
  readonly victim: number;
  /** Wait in its lane after the previous fault there was healed. */
  readonly gapMs: number;
  readonly durationMs: number;
  /** clock-jump only: how far ahead of now the engine clock is pinned. */
  readonly jumpMs?: number;
  /** node-clock-jump only: how far the victim's own wall clock jumps (negative: back). */
  readonly offsetMs?: number;
}

/**
 * node-clock-jump: forward 2–10 minutes or back 30 s – 5 minutes. The first goes either way (a
 * coin toss), and the following ones alternate, so that any run with two of them has both.
 */
const NODE_CLOCK_FORWARD_S = [120, 600] as const;
const NODE_CLOCK_BACK_S = [30, 300] as const;

export function planSchedule(options: ScheduleOptions): PlannedFault[] {
  if (options.kinds.length === 0) throw new Error('no fault kind is available on this machine');
  if (options.faults < 1) throw new Error('a chaos run needs at least one fault');
  const rng = new Prng(options.seed).fork('schedule');
  // Every available kind once, in random order, then weighted draws.
  const kinds: FaultKind[] = rng.shuffle(options.kinds).slice(0, options.faults);
  const weighted = options.kinds.flatMap((k) => Array<FaultKind>(WEIGHT[k]).fill(k));
  while (kinds.length < options.faults) kinds.push(rng.pick(weighted));

  let nodeClockForward = rng.chance(0.5);
  const drafts = kinds.map((kind, seq) => {
    const lane = LANE_OF[kind];
    const victim =
      kind === 'disk-full' ? options.diskFullNode : lane === 'node' ? rng.int(0, options.nodes - 1) : rng.int(0, options.etcdMembers - 1);
    const [min, max] = DURATION[kind];
    const durationMs = rng.int(min, max);
    const jumpMs = kind === 'clock-jump' ? rng.int(60, 180) * 1_000 : undefined;
    let offsetMs: number | undefined;
    if (kind === 'node-clock-jump') {
      offsetMs = nodeClockForward ? rng.int(...NODE_CLOCK_FORWARD_S) * 1_000 : -rng.int(...NODE_CLOCK_BACK_S) * 1_000;
      nodeClockForward = !nodeClockForward;
    }
    return { seq, kind, lane, victim, durationMs, jumpMs, offsetMs };
  });

  const budgetMs = options.minutes * 60_000;
  const out: PlannedFault[] = [];
  const meanGap = new Map<Lane, number>();
  for (const lane of ['node', 'etcd'] as const) {
    const inLane = drafts.filter((d) => d.lane === lane);
    const busy = inLane.reduce((sum, d) => sum + d.durationMs + HEAL_MS[d.kind], 0);
    meanGap.set(lane, inLane.length === 0 ? 0 : Math.max(500, (budgetMs - busy) / inLane.length));
  }
  for (const d of drafts) {
    const gapMs = Math.round(meanGap.get(d.lane)! * (0.5 + rng.next()));
    const { jumpMs, offsetMs, ...rest } = d;
    out.push({ ...rest, gapMs, ...(jumpMs === undefined ? {} : { jumpMs }), ...(offsetMs === undefined ? {} : { offsetMs }) });
  }
  return out;
}

/** One line per fault, for the report and for comparing two runs of a seed. */
export function describeSchedule(schedule: readonly PlannedFault[]): string[] {
  return schedule.map(
    (f) =>
      `#${f.seq} ${f.kind} ${f.lane === 'node' ? 'node' : 'etcd member'} ${f.victim} after ${f.gapMs} ms for ${f.durationMs} ms${describeJump(f)}`,
  );
}

/** How far a clock fault moves its clock, e.g. " (+120 s)", " (-45 s)"; "" for other kinds. */
export function describeJump(f: PlannedFault): string {
  if (f.jumpMs) return ` (+${f.jumpMs / 1000} s)`;
  if (f.offsetMs) return ` (${f.offsetMs > 0 ? '+' : ''}${f.offsetMs / 1000} s)`;
  return '';
}
