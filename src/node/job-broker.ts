/**
 * Hands jobs to workers across partitions: ActivateJobs requests (answered at once or held
 * as long polls) and StreamActivatedJobs streams (pushed to). Partitions tell the broker
 * when jobs of a type become available; the broker then activates them — activation is a
 * command, so every handed-out job is durably ACTIVATED with a deadline first.
 */
import type { Logger } from 'pino';
import type { ActivatedJobBatch } from '../engine/processors/commands/job.js';
import type { CommandResponse, EngineCommand } from '../engine/processing/types.js';
import type { JobBatchValue, JobValue } from '../engine/records.js';
import { partitionOfKey } from '../engine/state/engine-state.js';
import type { ActivateJobsRequest, ActivatedJob, JobStreamHandle, JobStreamRequest, JobStreamSink } from './api.js';
import { monotonicNow } from '../elapsed.js';

/** What the broker needs of a partition. */
export interface JobPartition {
  readonly id: number;
  readonly isReady: boolean;
  /** Defined when this node leads the partition (see PartitionHandle). */
  readonly localBacklog?: number;
  /** Whether jobs of `type` and of these tenants may be activatable there. */
  hasActivatableJobs(type: string, tenantIds?: readonly string[]): boolean;
  /**
   * For a partition led by another node: that node's own workers took jobs of `type` lately,
   * so they serve its jobs and fair rounds here mostly leave them alone (SERVED_FAIR_ROUND_EVERY).
   */
  servedByOwnWorkers?(type: string): boolean;
  submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse>;
}

interface Waiter {
  readonly request: ActivateJobsRequest;
  /** When the poll started waiting (`monotonicNow()`). */
  readonly since: number;
  readonly resolve: (jobs: ActivatedJob[]) => void;
  done: boolean;
  /** An activation for it is in flight: it gets no second one meanwhile. */
  activating: boolean;
  cleanup(): void;
}

interface Stream {
  readonly request: JobStreamRequest;
  readonly sink: JobStreamSink;
  open: boolean;
  /** A stream that refused a push (slow client) is skipped until then. */
  pausedUntil: number;
}

const STREAM_PAUSE_MS = 100;
/** After activatable jobs could not be activated, the pause before trying again. */
const ACTIVATION_RETRY_MS = 50;

/** Every so many activations ask every partition with jobs, not only those led here. */
const FAIR_ROUND_EVERY = 4;
/**
 * Partitions whose leaders' own workers take the type (`servedByOwnWorkers`) are asked only
 * every so many activations: their jobs are taken there, and each one taken here is completed
 * across the private port. Not never: a worker there may not take every job (another tenant's).
 */
const SERVED_FAIR_ROUND_EVERY = 32;
/** A fair round takes at most 1/FAIR_ROUND_SHARE of the maximum from the others. */
const FAIR_ROUND_SHARE = 8;
/** A type counts as served here (`servedHere`) while a stream is open or for this long after a poll. */
const SERVED_WINDOW_MS = 1000;

/**
 * A long poll on a node that leads partitions takes other partitions' jobs only once it has
 * waited this long for one of its own: the other leaders' own workers get the first chance,
 * so the completion does not cross the private port (it did for two of five on the 3-node
 * benchmark without this wait). A poll that does not wait takes them at once.
 */
const REMOTE_AFTER_MS = 25;
/**
 * The wait before a long poll takes jobs of a partition whose leader's own workers take them
 * (`servedByOwnWorkers`). Under load a poll that found its own partitions drained gets their
 * next job within a commit or two; taking the others' jobs at 25 ms instead made about one
 * completion in eight cross the private port on the 3-node benchmark, for jobs that their own
 * workers were about to take.
 */
const SERVED_REMOTE_AFTER_MS = 250;

/** Jobs pushed to one stream per activation round. */
const STREAM_BATCH = 32;

export function toActivatedJob(key: bigint, job: JobValue): ActivatedJob {
  return {
    key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables: job.variables,
    tenantId: job.tenantId,
    kind: job.jobKind ?? 'BPMN_ELEMENT',
    listenerEventType: job.jobListenerEventType ?? 'UNSPECIFIED',
  };
}

export class JobBroker {
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly streams = new Map<string, Stream[]>();
  private nextPartition = 0;
  /** Types with a retry scheduled (see retryLater). */
  private readonly retrying = new Map<string, NodeJS.Timeout>();
  /** Activations that found jobs on partitions led here: every so many is a fair round. */
  private localRounds = 0;
  /** When a worker last asked this node for jobs of each type (`monotonicNow()`). */
  private readonly lastAsked = new Map<string, number>();

  constructor(
    private readonly partitions: () => readonly JobPartition[],
    private readonly logger: Logger,
    private readonly remoteAfterMs = REMOTE_AFTER_MS,
    private readonly servedRemoteAfterMs = SERVED_REMOTE_AFTER_MS,
  ) {}

  async activate(request: ActivateJobsRequest, signal: AbortSignal): Promise<ActivatedJob[]> {
    this.lastAsked.set(request.type, monotonicNow());
    const waits = request.requestTimeoutMs > 0;
    const jobs = await this.activateNow(request, request.maxJobsToActivate, waits ? 0 : Infinity);
    if (jobs.length > 0 || !waits || signal.aborted) return jobs;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        request,
        since: monotonicNow(),
        done: false,
        activating: false,
        resolve: (found) => {
          if (waiter.done) return;
          waiter.done = true;
          waiter.cleanup();
          resolve(found);
        },
        cleanup: () => {
          clearTimeout(timer);
          for (const remoteTimer of remoteTimers) clearTimeout(remoteTimer);
          signal.removeEventListener('abort', onAbort);
          const list = this.waiters.get(request.type);
          const at = list?.indexOf(waiter) ?? -1;
          if (list && at >= 0) list.splice(at, 1);
          if (list && list.length === 0) this.waiters.delete(request.type);
        },
      };
      const onAbort = () => waiter.resolve([]);
      const timer = setTimeout(onAbort, request.requestTimeoutMs);
      // Other partitions' jobs become this poll's to take: look again then.
      const remoteTimers = [this.remoteAfterMs, this.servedRemoteAfterMs].map((ms) =>
        setTimeout(() => {
          if (!waiter.done && this.partitions().some((p) => p.hasActivatableJobs(request.type, request.tenantIds))) this.jobsAvailable(request.type);
        }, ms),
      );
      signal.addEventListener('abort', onAbort);
      let list = this.waiters.get(request.type);
      if (!list) this.waiters.set(request.type, (list = []));
      list.push(waiter);
      // Jobs may have appeared while the first attempt was in flight.
      if (this.partitions().some((p) => p.hasActivatableJobs(request.type, request.tenantIds))) this.jobsAvailable(request.type);
    });
  }

  openStream(request: JobStreamRequest, sink: JobStreamSink): JobStreamHandle {
    const stream: Stream = { request, sink, open: true, pausedUntil: -Infinity };
    let list = this.streams.get(request.type);
    if (!list) this.streams.set(request.type, (list = []));
    list.push(stream);
    if (this.partitions().some((p) => p.hasActivatableJobs(request.type, request.tenantIds))) this.jobsAvailable(request.type);
    return {
      close: () => {
        stream.open = false;
        const current = this.streams.get(request.type);
        const at = current?.indexOf(stream) ?? -1;
        if (current && at >= 0) current.splice(at, 1);
        if (current && current.length === 0) this.streams.delete(request.type);
      },
    };
  }

  /**
   * Whether workers take jobs of `type` from this node: a stream is open, or a poll came
   * within SERVED_WINDOW_MS. Such workers take the jobs of the partitions led here first, so
   * other nodes' fair rounds need not (told with each job notice, see servedByOwnWorkers).
   */
  servedHere(type: string): boolean {
    if (this.streams.has(type)) return true;
    const at = this.lastAsked.get(type);
    return at !== undefined && monotonicNow() - at < SERVED_WINDOW_MS;
  }

  /** Ends every long poll with no jobs and forgets the streams (shutdown). */
  closeAll(): void {
    for (const timer of this.retrying.values()) clearTimeout(timer);
    this.retrying.clear();
    for (const list of [...this.waiters.values()]) for (const waiter of [...list]) waiter.resolve([]);
    this.streams.clear();
  }

  /**
   * A partition has activatable jobs of `type`: one consumer that can take them — a stream
   * first, else a waiting poll — gets an activation, submitted before this returns. Told while
   * a batch is processed (Partition.activateInBatch), the activation joins that batch. Earlier
   * activations still committing do not hold it back: each consumer has at most one activation
   * in flight (a stream may have several), so under load every batch's new jobs are taken in
   * that batch, not queued behind the previous batch's commit (one commit more per job).
   */
  jobsAvailable(type: string, lingering = false): void {
    const streams = this.streams.get(type);
    const waiters = this.waiters.get(type);
    if (!streams && !waiters) return;
    // Notifications name only the type: each stream and poll is served when jobs of its own tenants wait.
    const available = (tenantIds: readonly string[]) => this.partitions().some((p) => p.isReady && p.hasActivatableJobs(type, tenantIds));
    const now = monotonicNow();
    const stream = streams?.find((s) => s.pausedUntil <= now && available(s.request.tenantIds));
    if (stream) {
      this.serveStream(type, stream, available, lingering);
      return;
    }
    const paused = streams?.filter((s) => s.pausedUntil > now && available(s.request.tenantIds)) ?? [];
    if (paused.length > 0) {
      const retryAt = Math.min(...paused.map((s) => s.pausedUntil));
      setTimeout(() => this.jobsAvailable(type), Math.max(1, retryAt - now)).unref?.();
    }
    const waiter = waiters?.find((w) => !w.activating && available(w.request.tenantIds));
    if (waiter) this.serveWaiter(type, waiter, available);
  }

  /**
   * A stream takes the jobs of other nodes' partitions as a poll that has waited REMOTE_AFTER_MS
   * does: at once unless their leaders' own workers take them; those only once they have lingered
   * (`lingering`: a retry found jobs that nothing took), so that their completions do not cross.
   */
  private serveStream(type: string, stream: Stream, available: (tenantIds: readonly string[]) => boolean, lingering: boolean): void {
    this.pushToStream(stream, lingering ? Infinity : this.remoteAfterMs).then(
      (activated) => {
        // More may wait than one activation takes: go on, as long as activations find jobs.
        if (activated !== 0) this.jobsAvailable(type);
        // Jobs are there but none could be activated (the partition refused, e.g. under
        // backpressure): try again shortly rather than spin.
        else if (available(stream.request.tenantIds)) this.retryLater(type);
      },
      (err: unknown) => this.logger.error({ err, type }, 'job activation failed'),
    );
  }

  private serveWaiter(type: string, waiter: Waiter, available: (tenantIds: readonly string[]) => boolean): void {
    waiter.activating = true;
    this.activateNow(waiter.request, waiter.request.maxJobsToActivate, monotonicNow() - waiter.since).then(
      (jobs) => {
        waiter.activating = false;
        if (jobs.length > 0) {
          // The poll may have timed out or been cancelled while the activation committed.
          if (waiter.done) this.yieldJobs(jobs);
          else waiter.resolve(jobs);
          this.jobsAvailable(type);
        } else if (!waiter.done && available(waiter.request.tenantIds)) this.retryLater(type);
      },
      (err: unknown) => {
        waiter.activating = false;
        this.logger.error({ err, type }, 'job activation failed');
      },
    );
  }

  /**
   * Activatable jobs that could not be activated (the partitions refused: backpressure, etcd
   * near its quota, a leader changing) are tried again after a pause. Trying again at once
   * would spin: the refusal comes back without ever yielding to the event loop. Jobs still
   * there then have lingered: streams take them wherever they are (serveStream).
   */
  private retryLater(type: string): void {
    // One retry per type at a time: every notification that finds nothing to activate asks for
    // one, and each would otherwise go on retrying by itself.
    if (this.retrying.has(type)) return;
    const timer = setTimeout(() => {
      this.retrying.delete(type);
      this.jobsAvailable(type, true);
    }, ACTIVATION_RETRY_MS);
    timer.unref?.();
    this.retrying.set(type, timer);
  }

  /** Activates up to `max` jobs for one stream, rotates it to the back, and pushes them; returns how many were activated (-1: the stream was paused instead). */
  private async pushToStream(stream: Stream, waitedMs: number): Promise<number> {
    const list = this.streams.get(stream.request.type)!;
    list.splice(list.indexOf(stream), 1);
    list.push(stream);
    const { request } = stream;
    // A client that does not read (slow, or a dead connection not yet noticed) gets nothing
    // activated for it: activating and handing back would only churn the log.
    if (stream.sink.ready?.() === false) {
      stream.pausedUntil = monotonicNow() + STREAM_PAUSE_MS;
      return -1;
    }
    const jobs = await this.activateNow({ ...request, maxJobsToActivate: STREAM_BATCH, requestTimeoutMs: 0 }, STREAM_BATCH, waitedMs);
    const undelivered: ActivatedJob[] = [];
    for (const job of jobs) {
      if (stream.open && stream.sink.push(job)) continue;
      stream.pausedUntil = monotonicNow() + STREAM_PAUSE_MS;
      undelivered.push(job);
    }
    this.yieldJobs(undelivered);
    return jobs.length;
  }

  /** Jobs activated for a worker that can no longer take them: activatable again at once, not after their timeout. */
  yieldJobs(jobs: readonly { readonly key: bigint }[]): void {
    for (const job of jobs) {
      const owner = this.partitions().find((p) => p.id === partitionOfKey(job.key));
      owner?.submit({ valueType: 'JOB', intent: 'YIELD', key: job.key, value: {} }).catch((err: unknown) => {
        // The job's timeout makes it activatable again anyway.
        this.logger.debug({ err, jobKey: String(job.key) }, 'could not hand a job back');
      });
    }
  }

  /**
   * Activates up to `max` jobs. Partitions led by this node go first: a job activated here is
   * completed here (workers complete through the node they polled), so neither call crosses
   * the private port — with workers spread over the nodes, most jobs are taken where they are.
   * What they have is the answer, even short of `max`: topping it up from the others made two
   * of every three completions on the 3-node benchmark cross the port (a worker asks for 256
   * and a local partition rarely has that many waiting). The others are asked when the local
   * ones have none — once the poll has waited `waitedMs` long enough (REMOTE_AFTER_MS;
   * SERVED_REMOTE_AFTER_MS for those whose leaders' own workers take them) — and every
   * FAIR_ROUND_EVERY-th time anyway, so that a worker connected to one busy node still takes
   * the other partitions' jobs (every SERVED_FAIR_ROUND_EVERY-th time, those of partitions
   * whose leaders have workers of their own).
   */
  private async activateNow(request: ActivateJobsRequest | (JobStreamRequest & { maxJobsToActivate: number }), max: number, waitedMs: number): Promise<ActivatedJob[]> {
    const partitions = this.partitions();
    if (partitions.length === 0 || max <= 0) return [];
    const start = this.nextPartition++ % partitions.length;
    const candidates: JobPartition[] = [];
    for (let i = 0; i < partitions.length; i++) {
      const partition = partitions[(start + i) % partitions.length]!;
      if (partition.isReady && partition.hasActivatableJobs(request.type, request.tenantIds)) candidates.push(partition);
    }
    if (candidates.length === 0) return [];
    const local = candidates.filter((p) => p.localBacklog !== undefined);
    const leadsHere = local.length > 0 || partitions.some((p) => p.localBacklog !== undefined);
    if (!leadsHere || local.length === candidates.length) return this.activateSplit(candidates, request, max);
    // The others' jobs this poll may take, having waited `waitedMs` for its own.
    const takeable = (): JobPartition[] =>
      waitedMs < this.remoteAfterMs
        ? []
        : candidates.filter((p) => p.localBacklog === undefined && (waitedMs >= this.servedRemoteAfterMs || !p.servedByOwnWorkers?.(request.type)));
    if (local.length === 0) return this.activateSplit(takeable(), request, max);
    // A fair round keeps a share of the answer for the others' jobs: enough that they are
    // not starved by a worker kept busy here, not so many that most completions cross.
    // Partitions whose leaders' own workers take their jobs are mostly left to them.
    const round = ++this.localRounds;
    const others = candidates.filter((p) => p.localBacklog === undefined);
    const fairTo =
      round % SERVED_FAIR_ROUND_EVERY === 0 ? others : round % FAIR_ROUND_EVERY === 0 ? others.filter((p) => !p.servedByOwnWorkers?.(request.type)) : [];
    if (fairTo.length > 0) {
      const share = Math.ceil(max / FAIR_ROUND_SHARE);
      const mixed = await this.activateSplit(local, request, max - share);
      for (const job of await this.activateSplit(fairTo, request, Math.min(share, max - mixed.length))) mixed.push(job);
      return mixed;
    }
    const found = await this.activateSplit(local, request, max);
    if (found.length > 0) return found;
    return this.activateSplit(takeable(), request, max);
  }

  /**
   * Up to `max` jobs from `candidates`: asked at once, each for its share of `max` (in a
   * cluster every activation waits for a replicated commit, so asking one after another would
   * add those waits up); those that filled their share are then asked for the rest, one at a time.
   */
  private async activateSplit(candidates: readonly JobPartition[], request: ActivateJobsRequest | (JobStreamRequest & { maxJobsToActivate: number }), max: number): Promise<ActivatedJob[]> {
    if (candidates.length === 0 || max <= 0) return [];
    const share = Math.floor(max / candidates.length);
    const quotas = candidates.map((_, i) => share + (i < max % candidates.length ? 1 : 0));
    const rounds = await Promise.all(candidates.map((p, i) => (quotas[i]! > 0 ? this.activateOn(p, request, quotas[i]!) : [])));
    const found = rounds.flat();
    for (let i = 0; i < candidates.length && found.length < max; i++) {
      // Asked and came back short: that partition has no more.
      if (quotas[i]! > 0 && rounds[i]!.length < quotas[i]!) continue;
      found.push(...(await this.activateOn(candidates[i]!, request, max - found.length)));
    }
    return found;
  }

  private async activateOn(
    partition: JobPartition,
    request: ActivateJobsRequest | (JobStreamRequest & { maxJobsToActivate: number }),
    max: number,
  ): Promise<ActivatedJob[]> {
    const value: JobBatchValue = {
      type: request.type,
      worker: request.worker,
      timeout: request.timeoutMs,
      maxJobsToActivate: max,
      fetchVariables: [...request.fetchVariables],
      tenantIds: [...request.tenantIds],
      jobKeys: [],
      jobs: [],
      truncated: false,
    };
    let response: CommandResponse;
    try {
      response = await partition.submit({ valueType: 'JOB_BATCH', intent: 'ACTIVATE', key: -1n, value });
    } catch (err) {
      // One unreachable partition must not fail the whole request: the others may have jobs.
      this.logger.debug({ err, partition: partition.id }, 'job activation on a partition failed');
      return [];
    }
    if (!response.ok) return [];
    const batch = response.value as ActivatedJobBatch;
    const jobs: ActivatedJob[] = [];
    for (let j = 0; j < batch.jobKeys.length; j++) jobs.push(toActivatedJob(batch.jobKeys[j]!, batch.jobs[j]!));
    return jobs;
  }
}
