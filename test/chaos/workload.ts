/**
 * The mixed load of a chaos run, as applications would drive it, every call recorded in the
 * OperationLog:
 * - creators start instances of four shapes through varying nodes, each tagged uniquely:
 *   one service task; a 1 s timer then the task; a message catch (correlation key = tag) then
 *   the task; a Camunda user task;
 * - for each message instance a publisher sends its message with messageId `m-<tag>` until the
 *   cluster acknowledges it or says ALREADY_EXISTS, and now and then once more with the same id
 *   (a client retrying after a lost answer): the cluster must keep it to one message;
 * - job workers activate and complete `chaos-work` jobs; a user-task worker finds CREATED user
 *   tasks over REST and completes them over REST.
 * A call is never repeated with another tag: the checker allows an unacknowledged create to
 * exist (at most once) and demands every acknowledged one.
 */
import type { ChaosCluster } from './chaos-cluster.js';
import { codeOf, type OperationLog } from './operations.js';
import type { Prng } from './prng.js';

export type InstanceShape = 'one-task' | 'timer' | 'message' | 'user-task';

export const PROCESS_OF: Readonly<Record<InstanceShape, string>> = {
  'one-task': 'chaos-one-task',
  timer: 'chaos-timer-task',
  message: 'chaos-message-task',
  'user-task': 'chaos-user-task',
};

export const JOB_TYPE = 'chaos-work';
export const MESSAGE_NAME = 'chaos-paid';
/** Longer than any run: a message id stays taken for the whole run. */
export const MESSAGE_TTL_MS = 3_600_000;

export interface Attempt {
  readonly tag: string;
  readonly shape: InstanceShape;
}

export interface WorkloadOptions {
  readonly creators: number;
  readonly jobWorkers: number;
  readonly callTimeoutMs: number;
  readonly jobTimeoutMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Workload {
  readonly attempts = new Map<string, Attempt>();
  /** Message tags whose publication the cluster confirmed (ack or ALREADY_EXISTS). */
  readonly published = new Set<string>();
  private creating = false;
  private working = false;
  private loops: Promise<void>[] = [];
  private workLoops: Promise<void>[] = [];
  private next = 0;
  private rr = 0;

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly log: OperationLog,
    private readonly rng: Prng,
    private readonly runId: string,
    private readonly options: WorkloadOptions,
  ) {}

  startCreating(): void {
    this.creating = true;
    this.loops = Array.from({ length: this.options.creators }, () => this.createLoop());
  }

  async stopCreating(): Promise<void> {
    this.creating = false;
    await Promise.all(this.loops);
  }

  startWorking(): void {
    if (this.working) return;
    this.working = true;
    this.workLoops = [...Array.from({ length: this.options.jobWorkers }, () => this.jobLoop()), this.userTaskLoop()];
  }

  async stopWorking(): Promise<void> {
    this.working = false;
    await Promise.all(this.workLoops);
  }

  /** Sends every message whose publication was never confirmed (after the faults are healed). */
  async publishOutstanding(): Promise<number> {
    const outstanding = [...this.attempts.values()].filter((a) => a.shape === 'message' && !this.published.has(a.tag));
    for (const attempt of outstanding) await this.publish(attempt.tag, 3);
    return outstanding.length;
  }

  private via(): number | null {
    const nodes = this.cluster.clientNodes();
    if (nodes.length === 0) return null;
    return nodes[this.rr++ % nodes.length]!;
  }

  private async createLoop(): Promise<void> {
    while (this.creating) {
      const via = this.via();
      if (via === null) {
        await sleep(100);
        continue;
      }
      const shape = this.rng.pick<InstanceShape>(['one-task', 'one-task', 'timer', 'message', 'user-task']);
      const tag = `${this.runId}-${this.next++}`;
      this.attempts.set(tag, { tag, shape });
      let ok = false;
      try {
        const client = this.cluster.zen.client(via);
        await this.log.record('create', via, tag, () => client.createProcessInstance({ bpmnProcessId: PROCESS_OF[shape], variables: { tag } }), {
          timeoutMs: this.options.callTimeoutMs,
          describe: (r) => String(r.processInstanceKey),
        });
        ok = true;
      } catch {
        // recorded
      }
      // Whatever the create's outcome: if it committed, its message must come.
      if (shape === 'message') await this.publish(tag, 2, this.rng.chance(0.3));
      if (!ok) await sleep(100);
    }
  }

  /** Publishes the message of `tag` until confirmed (at most `tries` calls), then maybe once more with the same id. */
  private async publish(tag: string, tries: number, duplicate = false): Promise<void> {
    for (let i = 0; i < tries && !this.published.has(tag); i++) {
      const via = this.via();
      if (via === null) return;
      const confirmed = await this.publishOnce(tag, via);
      if (!confirmed) await sleep(200);
    }
    if (duplicate && this.published.has(tag)) {
      const via = this.via();
      if (via !== null) await this.publishOnce(tag, via);
    }
  }

  private async publishOnce(tag: string, via: number): Promise<boolean> {
    try {
      const client = this.cluster.zen.client(via);
      await this.log.record(
        'publish',
        via,
        tag,
        () => client.publishMessage({ name: MESSAGE_NAME, correlationKey: tag, messageId: `m-${tag}`, timeToLive: MESSAGE_TTL_MS, variables: {} }),
        { timeoutMs: this.options.callTimeoutMs, describe: (r) => String((r as { key?: unknown }).key ?? '') },
      );
      this.published.add(tag);
      return true;
    } catch (err) {
      if (codeOf(err) === 'ALREADY_EXISTS') {
        this.published.add(tag);
        return true;
      }
      return false;
    }
  }

  private async jobLoop(): Promise<void> {
    while (this.working) {
      const via = this.via();
      if (via === null) {
        await sleep(100);
        continue;
      }
      let jobs: Array<{ key: string }> = [];
      try {
        const client = this.cluster.zen.client(via);
        jobs = (await this.log.record(
          'activate',
          via,
          undefined,
          () => client.activateJobs({ type: JOB_TYPE, worker: `chaos-${via}`, maxJobsToActivate: 32, timeout: this.options.jobTimeoutMs, requestTimeout: 1_000 }) as Promise<Array<{ key: string }>>,
          { timeoutMs: this.options.callTimeoutMs, describe: (r) => String(r.length) },
        ));
      } catch {
        await sleep(100);
        continue;
      }
      await Promise.all(
        jobs.map(async (job) => {
          try {
            const client = this.cluster.zen.client(via);
            await this.log.record('complete-job', via, String(job.key), () => client.completeJob({ jobKey: job.key, variables: {} }), { timeoutMs: this.options.callTimeoutMs });
          } catch {
            // recorded; the job comes back after its timeout if the completion did not land
          }
        }),
      );
    }
  }

  private async userTaskLoop(): Promise<void> {
    while (this.working) {
      const via = this.via();
      if (via === null) {
        await sleep(100);
        continue;
      }
      let keys: string[] = [];
      try {
        keys = await this.log.record(
          'search-user-tasks',
          via,
          undefined,
          async () => {
            const response = await this.cluster.restRequest(via, 'POST', '/user-tasks/search', {
              filter: { state: 'CREATED', processDefinitionId: PROCESS_OF['user-task'] },
              page: { limit: 50 },
            }, this.options.callTimeoutMs);
            if (!response.ok) throw httpError(response.status, await response.text());
            const body = (await response.json()) as { items: Array<{ userTaskKey: string }> };
            return body.items.map((i) => String(i.userTaskKey));
          },
          { timeoutMs: this.options.callTimeoutMs, describe: (r) => String(r.length) },
        );
      } catch {
        await sleep(200);
        continue;
      }
      for (const key of keys) {
        try {
          await this.log.record(
            'complete-user-task',
            via,
            key,
            async () => {
              const response = await this.cluster.restRequest(via, 'POST', `/user-tasks/${key}/completion`, {}, this.options.callTimeoutMs);
              if (response.status !== 204) throw httpError(response.status, await response.text());
            },
            { timeoutMs: this.options.callTimeoutMs },
          );
        } catch {
          // recorded
        }
      }
      if (keys.length === 0) await sleep(300);
    }
  }
}

function httpError(status: number, body: string): Error {
  return Object.assign(new Error(`HTTP ${status}: ${body.slice(0, 200)}`), { code: `HTTP ${status}` });
}
