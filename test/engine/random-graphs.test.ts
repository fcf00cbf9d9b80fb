/**
 * Randomized process graphs: from a seed, a valid model (test/support/random-process.ts) and
 * a path of commands (complete jobs with variables that steer the gateways, throw errors a
 * boundary catches, fire timers, publish messages, cancel instances). After every command the
 * state must hold its invariants (test/support/state-invariants.ts); at the end replaying the
 * log must give the same state, and the same path on three partitions the same outcome per
 * instance. A fixed set of seeds runs in CI; `RANDOM_GRAPH_SEEDS=500` runs more,
 * `RANDOM_GRAPH_SEED=17` one. A failure names the seed, the model and the path.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { subscriptionPartition } from '../../src/engine/behaviors/subscription-partition.js';
import { dumpState, EngineHarness, partitionOf } from '../support/engine-harness.js';
import { randomProcess, Rng, type RandomProcess } from '../support/random-process.js';
import { openState } from '../support/open-state.js';
import { RecordLines } from '../support/record-lines.js';
import { leftovers, orphans, stuck } from '../support/state-invariants.js';

const CI_SEEDS = 20;
const MAX_STEPS = 60;
const MINUTE = 60_000;

/** One step of a path, in terms that mean the same on any number of partitions. */
type Action =
  | { readonly kind: 'create'; readonly variables: Record<string, unknown> }
  /** The `nth` open job (by key) of `elementId` in instance number `instance`. */
  | { readonly kind: 'complete'; readonly instance: number; readonly elementId: string; readonly nth: number; readonly variables: Record<string, unknown> }
  | { readonly kind: 'throw'; readonly instance: number; readonly elementId: string; readonly nth: number; readonly code: string }
  /** Fails the job with no retries left: an incident, until `recover` gives it a retry and resolves it. */
  | { readonly kind: 'fail'; readonly instance: number; readonly elementId: string; readonly nth: number }
  | { readonly kind: 'recover'; readonly instance: number; readonly elementId: string; readonly nth: number }
  | { readonly kind: 'publish'; readonly name: string; readonly correlationKey: string; readonly ttl: number }
  | { readonly kind: 'signal'; readonly name: string }
  | { readonly kind: 'advance'; readonly ms: number }
  /** With delivery held back: hand over every command queued between partitions. */
  | { readonly kind: 'deliver' }
  | { readonly kind: 'cancel'; readonly instance: number };

/** What became of one instance: how it ended (or that it still runs) and its element stream. */
interface Outcome {
  readonly status: 'completed' | 'terminated' | 'active';
  readonly stream: string[];
}

/** Runs actions on a harness, keeping the instance keys by number. */
class Runner {
  readonly instances: bigint[] = [];

  constructor(readonly h: EngineHarness) {}

  apply(action: Action): void {
    const h = this.h;
    const partitions = h.partitions.length;
    switch (action.kind) {
      case 'create': {
        // Instances spread over the partitions, as a gateway's round robin would.
        const partition = (this.instances.length % partitions) + 1;
        this.instances.push(h.createInstance('p', action.variables, partition));
        return;
      }
      case 'complete':
        h.completeJob(this.jobOf(action), action.variables);
        return;
      case 'throw':
        h.throwError(this.jobOf(action), action.code, 'thrown by the random path');
        return;
      case 'fail':
        h.failJob(this.jobOf(action), 0, { errorMessage: 'failed by the random path' });
        return;
      case 'recover': {
        const job = this.jobOf(action, 'FAILED');
        h.updateJobRetries(job, 1);
        const incident = h.partition(partitionOf(job)).state.incidents.ofJob(job);
        if (incident === undefined) throw new Error(`failed job of '${action.elementId}' has no incident`);
        h.resolveIncident(incident);
        return;
      }
      case 'signal':
        h.broadcastSignal(action.name);
        return;
      case 'publish':
        h.publishMessage(action.name, action.correlationKey, {}, action.ttl, '', subscriptionPartition(action.correlationKey, partitions));
        return;
      case 'advance':
        h.advanceTime(action.ms);
        return;
      case 'deliver':
        h.deliver();
        return;
      case 'cancel':
        h.cancelInstance(this.instances[action.instance]!);
        return;
    }
  }

  /**
   * Jobs of an instance (and of the instances it called) as [elementId, key], oldest first. Oldest
   * by when they were created, not by key: a called instance may run on another partition, whose
   * keys say nothing about the order.
   */
  openJobs(instance: number, state: 'open' | 'FAILED' = 'open'): Array<[string, bigint]> {
    const pi = this.instances[instance]!;
    const out: Array<[string, bigint]> = [];
    for (const p of this.h.partitions) {
      for (const job of p.state.jobs.table.values()) {
        const wanted = state === 'open' ? job.state === 'ACTIVATABLE' || job.state === 'ACTIVATED' : job.state === state;
        if (wanted && this.rootOf(job.value.processInstanceKey) === pi) out.push([job.value.elementId, job.key]);
      }
    }
    return out.sort((a, b) => this.createdAt(a[1]) - this.createdAt(b[1]));
  }

  private readonly created = new Map<bigint, number>();
  private scanned = 0;

  private createdAt(jobKey: bigint): number {
    for (; this.scanned < this.h.written.length; this.scanned++) {
      const r = this.h.written[this.scanned]!;
      if (r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'CREATED') this.created.set(r.key, this.scanned);
    }
    return this.created.get(jobKey)!;
  }

  /** The instance that (through call activities) started this one. */
  private rootOf(processInstanceKey: bigint): bigint {
    let key = processInstanceKey;
    for (;;) {
      const row = this.h.partition(partitionOf(key)).state.elementInstances.get(key);
      if (!row || row.value.parentProcessInstanceKey < 0n) return key;
      key = row.value.parentProcessInstanceKey;
    }
  }

  private jobOf(action: { instance: number; elementId: string; nth: number }, state: 'open' | 'FAILED' = 'open'): bigint {
    const jobs = this.openJobs(action.instance, state).filter(([elementId]) => elementId === action.elementId);
    const job = jobs[action.nth];
    if (!job) throw new Error(`instance ${action.instance} has no open job #${action.nth} of '${action.elementId}'`);
    return job[1];
  }

  isActive(instance: number): boolean {
    return this.h.isActive(this.instances[instance]!);
  }

  outcome(instance: number): Outcome {
    const stream = this.h.elementStreamOf(this.instances[instance]!);
    const status = stream.includes('p:ELEMENT_COMPLETED') ? 'completed' : stream.includes('p:ELEMENT_TERMINATED') ? 'terminated' : 'active';
    return { status, stream };
  }
}

/** The open state of a harness, keys named after what they are (for failure messages). */
function describeState(h: EngineHarness): string {
  const lines = new RecordLines(h.now);
  lines.format(h.records());
  return openState(h, lines).map((l) => `  ${l}`).join('\n');
}

/** Variables a new instance starts with: its correlation key and a value for every gateway. */
function startVariables(rng: Rng, model: RandomProcess, instance: number): Record<string, unknown> {
  const variables: Record<string, unknown> = { ck: `c${instance}` };
  for (const [name, steering] of model.steering) variables[name] = steer(rng, steering);
  return variables;
}

function steer(rng: Rng, steering: RandomProcess['steering'] extends ReadonlyMap<string, infer S> ? S : never): unknown {
  return steering.kind === 'int' ? rng.int(1, steering.max) : rng.chance(0.5);
}

/** The next action, drawn from what the state offers; null when nothing is left to do. */
function nextAction(rng: Rng, model: RandomProcess, run: Runner): Action | null {
  const states = run.h.partitions.map((p) => p.state);
  const live = run.instances.map((_, i) => i).filter((i) => run.isActive(i));
  const jobs = live.flatMap((instance) => run.openJobs(instance).map(([elementId, key]) => ({ instance, elementId, key })));
  const throwable = jobs.filter((j) => (model.catchable.get(j.elementId) ?? []).length > 0);
  const waiting = states.flatMap((s) => [...s.processMessageSubscriptions.table.values()]).filter((m) => m.state === 'CREATED');
  const timers = states.flatMap((s) => [...s.timers.table.values()]);
  const failed = live.flatMap((instance) => run.openJobs(instance, 'FAILED').map(([elementId, key]) => ({ instance, elementId, key })));
  const signals = [...new Set(states.flatMap((s) => [...s.signals.subscriptions.values()]).map((g) => g.signalName))];
  const queued = run.h.outbox.length;
  if (jobs.length === 0 && waiting.length === 0 && timers.length === 0 && failed.length === 0 && signals.length === 0 && queued === 0) return null;
  const kind = rng.weighted({
    deliver: queued > 0 ? 25 : 0,
    complete: jobs.length > 0 ? 50 : 0,
    throw: throwable.length > 0 ? 10 : 0,
    fail: jobs.length > 0 ? 3 : 0,
    recover: failed.length > 0 ? 10 : 0,
    publish: waiting.length > 0 ? 20 : 0,
    signal: signals.length > 0 ? 8 : 0,
    advance: timers.length > 0 ? 15 : 0,
    stray: model.messageNames.length > 0 ? 3 : 0,
    cancel: live.length > 0 ? 2 : 0,
    create: run.instances.length < 5 ? 2 : 0,
  });
  const nthOf = (job: { instance: number; elementId: string; key: bigint }, state: 'open' | 'FAILED' = 'open') =>
    run.openJobs(job.instance, state).filter(([elementId]) => elementId === job.elementId).findIndex(([, key]) => key === job.key);
  switch (kind) {
    case 'complete': {
      const job = rng.pick(jobs);
      const variables: Record<string, unknown> = {};
      for (const [name, steering] of model.steering) if (rng.chance(0.2)) variables[name] = steer(rng, steering);
      return { kind: 'complete', instance: job.instance, elementId: job.elementId, nth: nthOf(job), variables };
    }
    case 'throw': {
      const job = rng.pick(throwable);
      return { kind: 'throw', instance: job.instance, elementId: job.elementId, nth: nthOf(job), code: rng.pick(model.catchable.get(job.elementId)!) };
    }
    case 'fail': {
      const job = rng.pick(jobs);
      return { kind: 'fail', instance: job.instance, elementId: job.elementId, nth: nthOf(job) };
    }
    case 'recover': {
      const job = rng.pick(failed);
      return { kind: 'recover', instance: job.instance, elementId: job.elementId, nth: nthOf(job, 'FAILED') };
    }
    case 'signal':
      return { kind: 'signal', name: rng.pick(signals) };
    case 'publish': {
      const m = rng.pick(waiting);
      return { kind: 'publish', name: m.value.messageName, correlationKey: m.value.correlationKey, ttl: 0 };
    }
    case 'stray':
      // A message nobody may wait for yet: buffered for a while, it can be taken later.
      return { kind: 'publish', name: rng.pick(model.messageNames), correlationKey: `c${rng.int(0, Math.max(0, run.instances.length - 1))}`, ttl: rng.pick([0, 2 * MINUTE]) };
    case 'advance': {
      const due = Math.min(...timers.map((t) => t.value.dueDate));
      return { kind: 'advance', ms: rng.chance(0.7) ? Math.max(0, due - run.h.now) : rng.int(1, 10) * MINUTE };
    }
    case 'cancel':
      return { kind: 'cancel', instance: rng.pick(live) };
    case 'create':
      return { kind: 'create', variables: startVariables(rng, model, run.instances.length) };
    case 'deliver':
      return { kind: 'deliver' };
  }
  return null;
}

function checkInvariants(run: Runner, where: string): void {
  const problems = [...orphans(run.h), ...stuck(run.h, ['JOB_NO_RETRIES'])];
  run.instances.forEach((pi, i) => {
    if (!run.isActive(i)) problems.push(...leftovers(run.h, pi));
  });
  if (problems.length > 0) throw new Error(`${where}:\n  ${problems.join('\n  ')}`);
}

async function checkReplay(h: EngineHarness, where: string): Promise<void> {
  for (const [i, { live, replayed }] of (await h.replayAll()).entries()) {
    if (isDeepStrictEqual(live, replayed)) continue;
    const l = live as ReturnType<typeof dumpState>;
    const r = replayed as ReturnType<typeof dumpState>;
    const tables = Object.keys(l).filter((t) => !isDeepStrictEqual(l[t], r[t]));
    throw new Error(`${where}: partition ${i + 1} replayed differs from live state in ${tables.join(', ')}`);
  }
}

/** One seed: the model, a path on one partition (checked step by step), then the same path on three. */
async function runSeed(seed: number): Promise<{ actions: Action[]; outcomes: Outcome[] }> {
  const model = randomProcess(seed);
  const rng = new Rng(seed ^ 0x5eed);
  const actions: Action[] = [];
  let outcomes: Outcome[] = [];
  const single = new Runner(new EngineHarness(1));
  const context = () =>
    `seed ${seed} (RANDOM_GRAPH_SEED=${seed})\nmodel:\n${model.outline}\npath:\n${actions.map((a, i) => `  ${i + 1}. ${JSON.stringify(a)}`).join('\n')}\n` +
    `state on one partition after the path:\n${describeState(single.h)}\nxml:\n${model.xml}`;
  try {
    const deployed = await single.h.deploy(...model.resources);
    if (!deployed.ok) throw new Error(`the model does not deploy: ${deployed.reason}`);
    for (let i = 0, n = rng.int(1, 3); i < n; i++) actions.push({ kind: 'create', variables: startVariables(rng, model, i) });
    for (const action of actions) single.apply(action);
    checkInvariants(single, 'after creating the instances');
    for (let step = 0; step < MAX_STEPS; step++) {
      const action = nextAction(rng, model, single);
      if (!action) break;
      actions.push(action);
      single.apply(action);
      checkInvariants(single, `after step ${actions.length}`);
    }
    await checkReplay(single.h, 'one partition');

    const three = new Runner(new EngineHarness(3));
    await three.h.deploy(...model.resources);
    for (const action of actions) three.apply(action);
    checkInvariants(three, 'three partitions, at the end');
    outcomes = single.instances.map((_, i) => single.outcome(i));
    await checkReplay(three.h, 'three partitions');
    single.instances.forEach((_, i) => {
      const one = single.outcome(i);
      const other = three.outcome(i);
      if (!isDeepStrictEqual(one, other)) {
        throw new Error(`instance ${i} ends differently on three partitions: ${one.status} vs ${other.status}\n  one:   ${one.stream.join(' ')}\n  three: ${other.stream.join(' ')}`);
      }
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${context()}`, { cause: err });
  }
  await runDelayed(seed, model);
  return { actions, outcomes: outcomes };
}

/**
 * The same model on three partitions with commands between partitions held back until a
 * `deliver` step: messages are published, timers fire and instances are cancelled while
 * subscriptions are still being opened or closed. Once everything is delivered the
 * invariants must hold again; the log must replay.
 */
async function runDelayed(seed: number, model: RandomProcess): Promise<void> {
  const rng = new Rng(seed ^ 0xde1a7);
  const actions: Action[] = [];
  const run = new Runner(new EngineHarness(3));
  const context = () =>
    `seed ${seed} (RANDOM_GRAPH_SEED=${seed}), delayed delivery on three partitions\nmodel:\n${model.outline}\npath:\n${actions.map((a, i) => `  ${i + 1}. ${JSON.stringify(a)}`).join('\n')}\n` +
    `state after the path:\n${describeState(run.h)}\nxml:\n${model.xml}`;
  try {
    await run.h.deploy(...model.resources);
    run.h.autoDeliver = false;
    for (let i = 0, n = rng.int(1, 3); i < n; i++) actions.push({ kind: 'create', variables: startVariables(rng, model, i) });
    for (const action of actions) run.apply(action);
    for (let step = 0; step < MAX_STEPS; step++) {
      const action = nextAction(rng, model, run);
      if (!action) break;
      actions.push(action);
      run.apply(action);
      if (action.kind === 'deliver') checkInvariants(run, `after step ${actions.length}`);
    }
    run.h.deliver();
    checkInvariants(run, 'at the end, all delivered');
    await checkReplay(run.h, 'delayed delivery');
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${context()}`, { cause: err });
  }
}

function seeds(): number[] {
  if (process.env.RANDOM_GRAPH_SEED) return [Number(process.env.RANDOM_GRAPH_SEED)];
  const count = Number(process.env.RANDOM_GRAPH_SEEDS ?? CI_SEEDS);
  return Array.from({ length: count }, (_, i) => i + 1);
}

describe('randomized process graphs', () => {
  it('the generator is deterministic: a seed gives the same model', () => {
    expect(randomProcess(7).xml).toBe(randomProcess(7).xml);
    expect(randomProcess(7).xml).not.toBe(randomProcess(8).xml);
  });

  it(`every seed keeps the invariants, replays, and ends the same on three partitions`, async () => {
    const tally: Record<string, number> = {};
    const count = (what: string) => (tally[what] = (tally[what] ?? 0) + 1);
    for (const seed of seeds()) {
      const { actions, outcomes } = await runSeed(seed);
      for (const a of actions) count(a.kind);
      for (const o of outcomes) count(o.status);
      if (process.env.RANDOM_GRAPH_VERBOSE) console.log(`seed ${seed}: ${actions.map((a) => a.kind).join(' ')} → ${outcomes.map((o) => o.status).join(' ')}`);
    }
    if (process.env.RANDOM_GRAPH_VERBOSE) console.log(tally);
    // The paths get somewhere: instances complete, errors are thrown and caught, timers and messages fire.
    if (seeds().length >= CI_SEEDS) {
      for (const what of ['completed', 'complete', 'throw', 'publish', 'advance']) expect(tally[what], what).toBeGreaterThan(0);
    }
  }, Math.max(30_000, seeds().length * 500));
});
