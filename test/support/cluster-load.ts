/**
 * Client-side load and book-keeping for the cluster system tests. Creators start one-task
 * instances through chosen nodes, each carrying a unique `tag`; workers activate and complete
 * their jobs through chosen nodes. The books record what the cluster acknowledged, so that
 * after a fault the tests can demand:
 * - every acknowledged instance is there and continues: its job is activated and completed;
 * - no job is handed out by an activation that started after its completion was acknowledged;
 * - no tag ever has two instances or two jobs (a command committed twice);
 * - no job belongs to a tag nobody sent.
 * A call is never retried with the same tag: a failed create may still have committed (its
 * tag then shows up in a job), which the books allow.
 */
import { Code, sleep } from './server-client.js';
import type { ZenCluster } from './cluster-process.js';

export interface LoadOptions {
  readonly bpmnProcessId: string;
  readonly jobType: string;
  /** Concurrent create loops (default 4). */
  readonly creators?: number;
  /** Concurrent activate-and-complete loops (default 2). */
  readonly workers?: number;
  /** Nodes creates go through, read for every call (round-robin). */
  readonly createVia: () => readonly number[];
  /** Nodes activations and completions go through, read for every call. */
  readonly workVia: () => readonly number[];
  /** Job activation timeout: a job whose worker lost track of it comes back after this (default 4 s). */
  readonly jobTimeoutMs?: number;
  /** A call that takes longer is given up on by the loop (its outcome is still recorded). */
  readonly callTimeoutMs?: number;
  /** Further variables for each create (default none). */
  readonly variables?: () => Record<string, unknown>;
}

export interface Failure {
  readonly at: number;
  readonly what: string;
  readonly via: number;
  readonly code: unknown;
  readonly message: string;
}

interface Acked {
  readonly instanceKey: string;
  readonly via: number;
  readonly at: number;
}

let loads = 0;
/** Tags of every load in this file: a later load's workers also get the jobs of an earlier load's unacknowledged creates that did commit. */
const everyTag = new Set<string>();

export class ClusterLoad {
  /** tag → acknowledged creation. */
  readonly acked = new Map<string, Acked>();
  /** Every tag sent. */
  readonly attempted = new Set<string>();
  readonly failures: Failure[] = [];
  /** job key → (tag, when) of acknowledged completions. */
  readonly completedJobs = new Map<string, { tag: string; at: number }>();
  /** job key → tag of completions sent without an acknowledgement. */
  readonly uncertainJobs = new Map<string, string>();
  /** Tags whose job was completed (acknowledged, or gone after an unacknowledged completion). */
  readonly doneTags = new Set<string>();
  readonly jobKeysByTag = new Map<string, Set<string>>();
  readonly instanceKeysByTag = new Map<string, Set<string>>();
  /** Jobs activated by a request that started after their completion was acknowledged. */
  readonly reactivated: Array<{ jobKey: string; completedAt: number; activationStartedAt: number }> = [];
  /** Jobs whose tag was never sent. */
  readonly strangers: Array<{ jobKey: string; tag: unknown }> = [];
  readonly createdAt: number[] = [];
  readonly completedAt: number[] = [];

  private nextTag = 0;
  /** Tags are unique across the loads of a test file. */
  private readonly tagPrefix = `L${++loads}-`;
  private creating = false;
  private working = false;
  private createLoops: Promise<void>[] = [];
  private workLoops: Promise<void>[] = [];
  private rr = 0;
  private readonly options: Required<LoadOptions>;

  constructor(
    private readonly cluster: ZenCluster,
    options: LoadOptions,
  ) {
    this.options = { creators: 4, workers: 2, jobTimeoutMs: 4_000, callTimeoutMs: 15_000, variables: () => ({}), ...options };
  }

  startCreating(): void {
    if (this.creating) return;
    this.creating = true;
    this.createLoops = Array.from({ length: this.options.creators }, () => this.createLoop());
  }

  async stopCreating(): Promise<void> {
    this.creating = false;
    await Promise.all(this.createLoops);
  }

  startWorking(): void {
    if (this.working) return;
    this.working = true;
    this.workLoops = Array.from({ length: this.options.workers }, () => this.workLoop());
  }

  async stopWorking(): Promise<void> {
    this.working = false;
    await Promise.all(this.workLoops);
  }

  /** One create through `via`, outside the loops (e.g. to a frozen node); resolves whatever happens. */
  async createOnce(via: number): Promise<{ tag: string; ok: boolean }> {
    const tag = this.newTag();
    try {
      const result = await this.cluster.client(via).createProcessInstance({ bpmnProcessId: this.options.bpmnProcessId, variables: { tag } });
      this.recordCreated(tag, result.processInstanceKey, via);
      return { tag, ok: true };
    } catch (err) {
      this.failures.push(failureOf(`create ${tag}`, via, err));
      return { tag, ok: false };
    }
  }

  private newTag(): string {
    const tag = `${this.tagPrefix}t${this.nextTag++}`;
    this.attempted.add(tag);
    everyTag.add(tag);
    return tag;
  }

  countSince(times: readonly number[], from: number, to = Number.POSITIVE_INFINITY): number {
    return times.filter((t) => t >= from && t <= to).length;
  }

  /** Acknowledged tags whose job has not been completed yet. */
  pendingTags(): string[] {
    return [...this.acked.keys()].filter((tag) => !this.doneTags.has(tag));
  }

  /** Runs the workers until every acknowledged instance's job is completed. */
  async drain(timeoutMs = 40_000): Promise<void> {
    this.startWorking();
    const deadline = Date.now() + timeoutMs;
    let retriedAt = Date.now();
    while (this.pendingTags().length > 0) {
      if (Date.now() - retriedAt > 2_000) {
        // A completion whose answer was lost may have landed: then its job never comes back,
        // and completing it again says NOT_FOUND.
        retriedAt = Date.now();
        await this.retryUncertain();
      }
      if (Date.now() > deadline) {
        const pending = this.pendingTags();
        throw new Error(
          `${pending.length} acknowledged instances never had their job completed within ${timeoutMs} ms: ` +
            JSON.stringify(pending.slice(0, 20).map((tag) => ({ tag, ...this.acked.get(tag), jobs: [...(this.jobKeysByTag.get(tag) ?? [])] }))) +
            `\n${this.summary()}`,
        );
      }
      await sleep(100);
    }
  }

  private async retryUncertain(): Promise<void> {
    const nodes = this.options.workVia();
    await Promise.all(
      [...this.uncertainJobs].map(async ([jobKey, tag]) => {
        if (this.doneTags.has(tag)) return;
        const via = this.pick(nodes);
        try {
          await Promise.race([this.cluster.client(via).completeJob({ jobKey, variables: { doneBy: via } }), sleep(5_000).then(() => Promise.reject(new Error('timeout')))]);
          this.completedJobs.set(jobKey, { tag, at: Date.now() });
          this.completedAt.push(Date.now());
          this.uncertainJobs.delete(jobKey);
          this.doneTags.add(tag);
        } catch (err) {
          if ((err as { code?: unknown }).code === Code.NOT_FOUND) {
            this.uncertainJobs.delete(jobKey);
            this.doneTags.add(tag);
          }
        }
      }),
    );
  }

  /** Everything a failure message needs. */
  summary(): string {
    const byCode = new Map<string, number>();
    for (const f of this.failures) byCode.set(`${f.what.split(' ')[0]}:${String(f.code)}`, (byCode.get(`${f.what.split(' ')[0]}:${String(f.code)}`) ?? 0) + 1);
    return JSON.stringify({
      attempted: this.attempted.size,
      acked: this.acked.size,
      done: this.doneTags.size,
      completedJobs: this.completedJobs.size,
      uncertainJobs: this.uncertainJobs.size,
      failures: Object.fromEntries(byCode),
      lastFailures: this.failures.slice(-5),
    });
  }

  /** The books' invariants (see the file comment); empty when they hold. */
  violations(): string[] {
    const out: string[] = [];
    for (const r of this.reactivated) out.push(`job ${r.jobKey} activated again after its completion was acknowledged: ${JSON.stringify(r)}`);
    for (const s of this.strangers) out.push(`job ${s.jobKey} carries a tag nobody sent: ${String(s.tag)}`);
    for (const [tag, keys] of this.instanceKeysByTag) if (keys.size > 1) out.push(`tag ${tag} has ${keys.size} instances: ${[...keys].join(', ')}`);
    for (const [tag, keys] of this.jobKeysByTag) if (keys.size > 1) out.push(`tag ${tag} has ${keys.size} jobs: ${[...keys].join(', ')}`);
    return out;
  }

  /**
   * Every acknowledged instance has completed: cancelling it finds nothing (NOT_FOUND). An
   * instance still running would be cancelled, and reported.
   */
  async instancesNotCompleted(via: number): Promise<string[]> {
    const client = this.cluster.client(via);
    const running: string[] = [];
    const entries = [...this.acked.entries()];
    for (let i = 0; i < entries.length; i += 25) {
      await Promise.all(
        entries.slice(i, i + 25).map(async ([tag, { instanceKey }]) => {
          // A refusal (RESOURCE_EXHAUSTED: etcd reclaiming space) is retried for a while: it says nothing about the instance.
          const until = Date.now() + 30_000;
          for (;;) {
            try {
              await client.cancelProcessInstance(instanceKey);
              running.push(`${tag}: instance ${instanceKey} was still running`);
            } catch (err) {
              const code = (err as { code?: unknown }).code;
              if (code === Code.RESOURCE_EXHAUSTED && Date.now() < until) {
                await sleep(500);
                continue;
              }
              if (code !== Code.NOT_FOUND) running.push(`${tag}: cancelling instance ${instanceKey} failed with ${String(code)} ${String((err as Error).message)}`);
            }
            break;
          }
        }),
      );
    }
    return running;
  }

  private pick(nodes: readonly number[]): number {
    if (nodes.length === 0) throw new Error('no node to send to');
    return nodes[this.rr++ % nodes.length]!;
  }

  private recordCreated(tag: string, instanceKey: string, via: number): void {
    this.acked.set(tag, { instanceKey, via, at: Date.now() });
    this.createdAt.push(Date.now());
    addTo(this.instanceKeysByTag, tag, instanceKey);
  }

  private async createLoop(): Promise<void> {
    while (this.creating) {
      const via = this.pick(this.options.createVia());
      const tag = this.newTag();
      const call = this.cluster
        .client(via)
        .createProcessInstance({ bpmnProcessId: this.options.bpmnProcessId, variables: { ...this.options.variables(), tag } })
        .then(
          (result) => {
            this.recordCreated(tag, result.processInstanceKey, via);
            return true;
          },
          (err: unknown) => {
            this.failures.push(failureOf(`create ${tag}`, via, err));
            return false;
          },
        );
      const ok = await Promise.race([call, sleep(this.options.callTimeoutMs).then(() => false)]);
      if (!ok) await sleep(50);
    }
  }

  private async workLoop(): Promise<void> {
    while (this.working) {
      const via = this.pick(this.options.workVia());
      const startedAt = Date.now();
      let jobs: Array<{ key: string; processInstanceKey: string; variables: Record<string, unknown> }>;
      try {
        const call = this.cluster.client(via).activateJobs({
          type: this.options.jobType,
          worker: `cluster-test-${via}`,
          maxJobsToActivate: 32,
          timeout: this.options.jobTimeoutMs,
          requestTimeout: 1_000,
        }) as Promise<typeof jobs>;
        const result = await Promise.race([call, sleep(this.options.callTimeoutMs).then(() => null)]);
        if (result === null) continue;
        jobs = result;
      } catch (err) {
        this.failures.push(failureOf('activate', via, err));
        await sleep(50);
        continue;
      }
      await Promise.all(jobs.map((job) => this.complete(job, via, startedAt)));
    }
  }

  private async complete(job: { key: string; processInstanceKey: string; variables: Record<string, unknown> }, via: number, activationStartedAt: number): Promise<void> {
    const tag = job.variables.tag;
    const completed = this.completedJobs.get(job.key);
    if (completed && completed.at < activationStartedAt) this.reactivated.push({ jobKey: job.key, completedAt: completed.at, activationStartedAt });
    if (typeof tag !== 'string' || !everyTag.has(tag)) {
      this.strangers.push({ jobKey: job.key, tag });
      return;
    }
    if (!this.attempted.has(tag)) {
      // An earlier load's create that failed but committed: its instance continues too.
      await this.cluster.client(via).completeJob({ jobKey: job.key, variables: {} }).catch(() => {});
      return;
    }
    addTo(this.jobKeysByTag, tag, job.key);
    addTo(this.instanceKeysByTag, tag, job.processInstanceKey);
    if (completed) return;
    try {
      const call = this.cluster.client(via).completeJob({ jobKey: job.key, variables: { doneBy: via } });
      const ok = await Promise.race([call.then(() => true), sleep(this.options.callTimeoutMs).then(() => false)]);
      if (!ok) {
        this.uncertainJobs.set(job.key, tag);
        return;
      }
      this.completedJobs.set(job.key, { tag, at: Date.now() });
      this.completedAt.push(Date.now());
      this.uncertainJobs.delete(job.key);
      this.doneTags.add(tag);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      // The job is gone: an earlier completion whose answer was lost, or another worker's, landed.
      if (code === Code.NOT_FOUND && (this.uncertainJobs.has(job.key) || this.completedJobs.has(job.key))) {
        this.doneTags.add(tag);
        return;
      }
      this.uncertainJobs.set(job.key, tag);
      this.failures.push(failureOf(`complete ${job.key}`, via, err));
    }
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function failureOf(what: string, via: number, err: unknown): Failure {
  const e = err as { code?: unknown; message?: unknown };
  return { at: Date.now(), what, via, code: e.code, message: String(e.message ?? err).slice(0, 300) };
}
