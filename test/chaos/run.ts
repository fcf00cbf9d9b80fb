/**
 * One chaos run from start to verdict: a cluster (ChaosCluster), the mixed load (Workload), the
 * seeded fault schedule played in its two lanes (FaultInjector), an availability probe, then
 * healing, quiescing, the checker (checker.ts) and the replica comparison after a clean stop.
 * Used by the short run in test/cluster/system-chaos.test.ts and by `npm run chaos`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareReplicas } from '../support/cluster-replicas.js';
import { AvailabilityProbe, type Unavailability } from './availability-probe.js';
import { describePartitions, detectCapabilities, type Capabilities } from './capabilities.js';
import { ChaosCluster } from './chaos-cluster.js';
import { collectEndState, judge, type Verdict } from './checker.js';
import { FaultInjector, type AppliedFault, type Incident } from './faults.js';
import { OperationLog } from './operations.js';
import { Prng } from './prng.js';
import { quiesce, type QuiesceResult } from './quiesce.js';
import { describeJump, describeSchedule, FAULT_KINDS, planSchedule, type FaultKind, type PlannedFault } from './schedule.js';
import { Workload } from './workload.js';

export interface ChaosOptions {
  readonly seed: number;
  readonly faults: number;
  readonly minutes: number;
  /** Nodes, 3 to 5. */
  readonly nodes: number;
  /** Restrict the kinds (default: every kind the machine allows). */
  readonly kinds?: readonly FaultKind[];
  /** Progress lines (default: none). */
  readonly progress?: (line: string) => void;
}

export interface ChaosReport {
  readonly options: ChaosOptions;
  readonly capabilities: Capabilities;
  readonly schedule: readonly PlannedFault[];
  readonly applied: readonly AppliedFault[];
  readonly incidents: readonly Incident[];
  readonly operations: Record<string, number>;
  readonly errorsByCode: Record<string, number>;
  readonly faultsByKind: Record<string, number>;
  readonly unavailability: readonly Unavailability[];
  /** Partition → longest gap between acknowledged writes on it while faults ran (client timeline). */
  readonly writeGaps: ReadonlyMap<number, { ms: number; endedAt: number }>;
  readonly errorSamples: Record<string, string>;
  /** The recorded operations on the tags and keys the violations name. */
  readonly violatingOperations: string[];
  readonly verdict: Verdict;
  readonly replicaProblems: string[];
  readonly recoveryProblems: string[];
  /** How the work was let finish: clock sweeps, and each node's view of what stayed unfinished. */
  readonly quiesce: QuiesceResult;
  readonly durationMs: number;
  /** Epoch ms the fault clock starts from (node logs carry epoch times). */
  readonly runStartedAt: number;
  /** Where every node's output was saved. */
  readonly logsDir: string;
  /** Every violation: the checker's, the replicas', recovery. */
  readonly violations: string[];
}

const ETCD_MEMBERS = 3;
const PARTITIONS = 3;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The disk-full node's tmpfs: room for its databases over the whole run (about 20 MiB a minute under this load), and more. */
function tmpfsSizeMb(minutes: number): number {
  return Math.round(256 + 40 * minutes);
}

export function validateOptions(options: ChaosOptions): void {
  if (!Number.isInteger(options.nodes) || options.nodes < 3 || options.nodes > 5) throw new Error(`--nodes must be 3, 4 or 5, got ${options.nodes}`);
  if (!Number.isInteger(options.faults) || options.faults < 1) throw new Error(`--faults must be a positive integer, got ${options.faults}`);
  if (!(options.minutes > 0)) throw new Error(`--minutes must be positive, got ${options.minutes}`);
  if (!Number.isInteger(options.seed) || options.seed < 0) throw new Error(`--seed must be a non-negative integer, got ${options.seed}`);
  const unknown = (options.kinds ?? []).filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || options.kinds?.length === 0) throw new Error(`--kinds must name fault kinds among ${FAULT_KINDS.join(', ')}; got ${JSON.stringify(options.kinds)}`);
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  validateOptions(options);
  const say = options.progress ?? (() => {});
  const capabilities = detectCapabilities();
  const kinds = capabilities.kinds.filter((k) => !options.kinds || options.kinds.includes(k));
  const diskFullNode = kinds.includes('disk-full') ? options.nodes - 1 : null;
  const schedule = planSchedule({ seed: options.seed, faults: options.faults, minutes: options.minutes, nodes: options.nodes, etcdMembers: ETCD_MEMBERS, kinds, diskFullNode: diskFullNode ?? 0 });
  say(`chaos seed ${options.seed}: ${options.faults} faults over ~${options.minutes} min on ${options.nodes} nodes; kinds ${kinds.join(', ')}` +
    (Object.keys(capabilities.missing).length ? `; not available: ${JSON.stringify(capabilities.missing)}` : ''));

  const started = Date.now();
  const logsDir = join(tmpdir(), `zen-chaos-${options.seed}-logs`);
  const cluster = await ChaosCluster.start({ logsDir, nodes: options.nodes, etcdMembers: ETCD_MEMBERS, partitions: PARTITIONS, replicationFactor: 3, tmpfsNode: diskFullNode, tmpfsMb: tmpfsSizeMb(options.minutes), namespaces: capabilities.partitions === 'netns', nodeClockLibrary: kinds.includes('node-clock-jump') ? capabilities.faketime : null });
  const log = new OperationLog();
  const rng = new Prng(options.seed);
  const workload = new Workload(cluster, log, rng.fork('workload'), `s${options.seed}`, { creators: 4, jobWorkers: 2, callTimeoutMs: 5_000, jobTimeoutMs: 5_000 });
  const runStartedAt = Date.now();
  const injector = new FaultInjector(cluster, runStartedAt);
  const probe = new AvailabilityProbe(cluster, runStartedAt);
  const recoveryProblems: string[] = [];
  const replicaProblems: string[] = [];
  let unavailability: Unavailability[] = [];
  let faultsEndedAt = 0;
  let quiesced: QuiesceResult = { active: [], sweeps: [], views: [] };
  let verdict: Verdict = { violations: ['the checker did not run'], figures: { ackedCreates: 0, unacknowledgedThatExist: 0, instancesChecked: 0, jobCompletionsAcked: 0, userTaskCompletionsAcked: 0, messagesConfirmed: 0 } };
  try {
    workload.startCreating();
    workload.startWorking();
    probe.start();
    await sleep(3_000);

    const playLane = async (lane: 'node' | 'etcd') => {
      for (const fault of schedule.filter((f) => f.lane === lane)) {
        await sleep(fault.gapMs);
        const applied = await injector.apply(fault);
        say(`[${(applied.at / 1000).toFixed(1)} s] ${describeSchedule([fault])[0]}; healed at ${(applied.healedAt / 1000).toFixed(1)} s${applied.notes.length ? ` (${applied.notes.join('; ')})` : ''} — ${log.all.length} operations so far`);
      }
    };
    await Promise.all([playLane('node'), playLane('etcd')]);
    faultsEndedAt = Date.now();
    say('every fault applied and healed; recovering');

    // Recovered: every process back, every partition led, every node a member.
    await injector.reviveDeadNodes([], 'at the end');
    for (let m = 0; m < ETCD_MEMBERS; m++) if (!cluster.zen.etcd.isRunning(m)) await cluster.zen.etcd.restart(m);
    try {
      await cluster.zen.waitForLeaders({ members: cluster.fullMembers, timeoutMs: 60_000 });
    } catch (err) {
      recoveryProblems.push(`the cluster did not recover within 60 s of the last fault: ${String((err as Error).message).slice(0, 1500)}`);
    }

    // Quiesce: no new instances; every message sent; timers made due; workers drain.
    await workload.stopCreating();
    const outstanding = await workload.publishOutstanding();
    // Work dated ahead — under a pinned engine clock, or by a leader whose own clock ran ahead — needs the sweeps.
    const clockJumped = injector.applied.some((f) => f.planned.kind === 'clock-jump' || (f.planned.offsetMs ?? 0) > 0);
    quiesced = await quiesce(cluster, () => log.all, { clockJumped, timeoutMs: 120_000, runStartedAt });
    const { active } = quiesced;
    say(`quiesced (${outstanding} messages re-sent; clock sweeps: ${quiesced.sweeps.join(' | ') || 'none'}); ${active.length} acknowledged instances still not completed${active.length ? `: ${active.slice(0, 10).join(', ')}` : ''}`);
    await workload.stopWorking();
    unavailability = await probe.stop();

    const end = await collectEndState(cluster, cluster.answeringNodes()[0]!);
    verdict = judge(workload.attempts, log.all, end);

    // Same log, same state: every replica of every partition, after a clean stop. With more
    // nodes than the replication factor, the replicas are the partition's members at the end
    // (a node the controller moved a group away from keeps an old copy nobody follows).
    const members = cluster.fullMembers ? null : await cluster.membersByPartition(cluster.answeringNodes()[0]!);
    const exits = await cluster.zen.stopAll();
    for (const [nodeId, exit] of exits) if (exit.code !== 0) recoveryProblems.push(`node ${nodeId} did not stop cleanly on SIGTERM: ${JSON.stringify(exit)}`);
    for (let partitionId = 1; partitionId <= PARTITIONS; partitionId++) {
      const replicas = members ? (members.get(partitionId) ?? []) : cluster.nodeIds;
      if (replicas.length < 3) replicaProblems.push(`partition ${partitionId} ends with ${replicas.length} members (${replicas.join(', ')}), not 3`);
      const comparison = await compareReplicas(cluster.zen, partitionId, replicas);
      replicaProblems.push(...comparison.problems);
    }
  } finally {
    await probe.stop().catch(() => []);
    await workload.stopCreating().catch(() => {});
    await workload.stopWorking().catch(() => {});
    await cluster.dispose();
  }

  const violations = [...verdict.violations, ...replicaProblems, ...recoveryProblems];
  const faultsByKind: Record<string, number> = {};
  for (const f of injector.applied) faultsByKind[f.planned.kind] = (faultsByKind[f.planned.kind] ?? 0) + 1;
  return {
    options,
    capabilities,
    schedule,
    applied: injector.applied,
    incidents: injector.incidents,
    operations: log.countsByKindAndOutcome(),
    errorsByCode: log.errorsByCode(),
    faultsByKind,
    unavailability,
    writeGaps: log.longestWriteGaps(runStartedAt, faultsEndedAt || Date.now()),
    errorSamples: log.sampleMessages(),
    verdict,
    replicaProblems,
    recoveryProblems,
    quiesce: quiesced,
    durationMs: Date.now() - started,
    logsDir,
    runStartedAt,
    violations,
    violatingOperations: operationsNamedBy(violations, log, runStartedAt),
  };
}

/** Operations whose tag or key a violation names, oldest first (at most 60). */
function operationsNamedBy(violations: readonly string[], log: OperationLog, runStartedAt: number): string[] {
  const named = new Set<string>();
  for (const v of violations) for (const token of v.match(/\bs\d+-\d+\b|\b\d{10,}\b/g) ?? []) named.add(token);
  return log.all
    .filter((o) => (o.subject && named.has(o.subject)) || (o.result && named.has(o.result)))
    .slice(0, 60)
    .map((o) => `${((o.startedAt - runStartedAt) / 1000).toFixed(2)}–${((o.endedAt - runStartedAt) / 1000).toFixed(2)} s ${o.kind} ${o.subject ?? ''} via node ${o.via}: ${o.outcome}${o.code ? ` ${o.code}` : ''}${o.result ? ` → ${o.result}` : ''}`);
}

/** The report as printed: seed, faults, figures, then violations (if any). */
export function formatReport(report: ChaosReport): string {
  const o = report.options;
  const lines = [
    `=== chaos run: seed ${o.seed}, ${o.nodes} nodes, ${o.faults} faults planned over ~${o.minutes} min; took ${(report.durationMs / 60_000).toFixed(1)} min ===`,
    `replay: npm run chaos -- --seed ${o.seed} --faults ${o.faults} --minutes ${o.minutes} --nodes ${o.nodes}${o.kinds ? ` --kinds ${o.kinds.join(',')}` : ''}`,
    `fault kinds available: ${report.capabilities.kinds.join(', ')}${Object.keys(report.capabilities.missing).length ? `; missing: ${JSON.stringify(report.capabilities.missing)}` : ''}`,
    `partitions: ${describePartitions(report.capabilities)}`,
    `node wall clocks: ${report.capabilities.faketime && report.capabilities.kinds.includes('node-clock-jump') ? `libfaketime preloaded in every node (${report.capabilities.faketime})` : `real (${report.capabilities.missing['node-clock-jump'] ?? 'node-clock-jump not asked for'})`}`,
    `faults applied (${report.applied.length}): ${JSON.stringify(report.faultsByKind)}`,
    ...report.applied.map((f) => `  ${(f.at / 1000).toFixed(1)} s  ${f.planned.kind} ${f.planned.lane === 'node' ? 'node' : 'etcd member'} ${f.planned.victim} for ${f.planned.durationMs} ms${describeJump(f.planned)}${f.notes.length ? `  [${f.notes.join('; ')}]` : ''}`),
    `operations (kind outcome): ${JSON.stringify(report.operations)}`,
    `client errors by code (errors and unknowns): ${JSON.stringify(report.errorsByCode)}`,
    `longest unavailability per partition (topology probe every 200 ms): ${report.unavailability.map((u) => `p${u.partitionId} ${u.longestMs} ms${u.endedAt >= 0 ? ` (ended at ${(u.endedAt / 1000).toFixed(1)} s)` : ' (never ended)'}`).join(', ')}`,
    `longest gap between acknowledged writes per partition while faults ran (client timeline): ${[...report.writeGaps].map(([p, g]) => `p${p} ${g.ms} ms (ended at ${(g.endedAt / 1000).toFixed(1)} s)`).join(', ')}`,
    `what the codes said (first of each): ${JSON.stringify(report.errorSamples)}`,
    `checked: ${JSON.stringify(report.verdict.figures)}`,
    `node logs: ${report.logsDir} (times in this report count from ${new Date(report.runStartedAt).toISOString()} = ${report.runStartedAt})`,
    `clock sweeps while quiescing: ${report.quiesce.sweeps.join(' | ') || 'none'}`,
    ...(report.quiesce.views.length ? ['unfinished when quiescing ended, as each node searches it:', ...report.quiesce.views.map((v) => `  ${v}`)] : []),
    `incidents (${report.incidents.length}): ${report.incidents.map((i) => `${(i.at / 1000).toFixed(1)} s ${i.what}`).join(' || ') || 'none'}`,
    report.violations.length === 0 ? 'violations: none' : `violations (${report.violations.length}):\n${report.violations.slice(0, 60).map((v) => `  ${v}`).join('\n')}`,
    ...(report.violatingOperations.length ? ['operations they name (start–end since the run began):', ...report.violatingOperations.map((l) => `  ${l}`)] : []),
  ];
  return lines.join('\n');
}
