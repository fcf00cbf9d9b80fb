/**
 * A partition led by another node, as this node's routing sees it: commands go to the
 * current leader over the private port. Leadership moves, so a command the called node
 * refuses as "not the leader" (or cannot be sent at all) is retried against whatever the
 * cluster state then names, until a deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ZenError } from '../../errors.js';
import type { CommandResponse, EngineCommand } from '../../engine/processing/types.js';
import type { ActivatedJobBatch } from '../../engine/processors/commands/job.js';
import { DEFAULT_TENANT } from '../../engine/tenants.js';
import type { PartitionHandle } from '../../node/partition-handle.js';
import type { ClientPool } from './client-pool.js';
import { isSafeToRetry } from './remote-errors.js';
import { monotonicNow } from '../../elapsed.js';

export interface RemotePartitionOptions {
  readonly partitionId: number;
  /** The private address (`host:privatePort`) of the partition's leader per cluster state; null while none is known. */
  readonly leaderAddress: () => string | null;
  readonly pool: Pick<ClientPool, 'submit' | 'deliver'>;
  readonly logger: Logger;
  /** How long a command keeps looking for a leader that takes it (default 10 s). */
  readonly retryDeadlineMs?: number;
  /**
   * A type whose activation found nothing is probed again after this long (default 5 s):
   * a lost notification must not strand jobs until the next one.
   */
  readonly hintRecheckMs?: number;
  /** How long a notice that the leader's own workers take a type counts (default SERVED_NOTICE_MS). */
  readonly servedNoticeMs?: number;
}

interface JobHint {
  /** Counts notifications, so an activation that started before one cannot cancel it. */
  generation: number;
  /**
   * The tenant sets whose activation found nothing since the last notification, and when.
   * Notifications name only the type, so one tenant's empty activation says nothing of another's.
   */
  readonly cold: Map<string, number>;
  /** Until when the leader's own workers count as serving this type (see servedByOwnWorkers). */
  servedUntil: number;
}

/**
 * How long a notice saying the leader's own workers take a type counts. It lapses by itself,
 * so jobs whose workers went away are shared out by fair rounds again, notice or not.
 */
const SERVED_NOTICE_MS = 1000;

/** One key per set of tenants; none named means the default tenant, as the gateways read it. */
function tenantSetKey(tenantIds: readonly string[] | undefined): string {
  return tenantIds && tenantIds.length > 0 ? [...new Set(tenantIds)].sort().join('\u0000') : DEFAULT_TENANT;
}

const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 1000;

export class RemotePartition implements PartitionHandle {
  readonly id: number;
  private readonly hints = new Map<string, JobHint>();
  private readonly retryDeadlineMs: number;
  private readonly hintRecheckMs: number;

  constructor(private readonly options: RemotePartitionOptions) {
    this.id = options.partitionId;
    this.retryDeadlineMs = options.retryDeadlineMs ?? 10_000;
    this.hintRecheckMs = options.hintRecheckMs ?? 5_000;
  }

  get isReady(): boolean {
    return this.options.leaderAddress() !== null;
  }

  /** A hint: true when notified and not since found empty (for these tenants), or when unknown or stale (worth a probe). */
  hasActivatableJobs(type: string, tenantIds?: readonly string[]): boolean {
    const coldSince = this.hints.get(type)?.cold.get(tenantSetKey(tenantIds));
    return coldSince === undefined || monotonicNow() - coldSince >= this.hintRecheckMs;
  }

  /** The leader said jobs of `type` are activatable (WatchJobs), and whether its own workers take them. */
  markJobsAvailable(type: string, served = false): void {
    const hint = this.hint(type);
    hint.cold.clear();
    hint.generation++;
    hint.servedUntil = served ? monotonicNow() + (this.options.servedNoticeMs ?? SERVED_NOTICE_MS) : 0;
  }

  servedByOwnWorkers(type: string): boolean {
    const until = this.hints.get(type)?.servedUntil;
    return until !== undefined && monotonicNow() < until;
  }

  /** Notifications may have been lost (a watch reconnected): every known type is worth a probe. */
  invalidateHints(): void {
    for (const type of this.hints.keys()) this.markJobsAvailable(type);
  }

  /** The job types this partition has hints for, e.g. to wake their waiters after invalidateHints(). */
  knownJobTypes(): string[] {
    return [...this.hints.keys()];
  }

  /** An activation of `type` (for these tenants) on this partition handed out `count` jobs. */
  noteActivationResult(type: string, count: number, tenantIds?: readonly string[]): void {
    this.noteActivation(type, tenantSetKey(tenantIds), count, this.hint(type).generation);
  }

  submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse> {
    if (command.valueType === 'JOB_BATCH' && command.intent === 'ACTIVATE') return this.activate(command);
    return this.forward(command, 0);
  }

  submitAwaiting(command: Omit<EngineCommand, 'requestId'>, timeoutMs: number): Promise<CommandResponse> {
    return this.forward(command, Math.max(1, timeoutMs));
  }

  /** Best effort: the sending partition re-sends until the command is acknowledged. */
  deliver(command: EngineCommand): void {
    const address = this.options.leaderAddress();
    if (address === null) {
      this.options.logger.debug({ partition: this.id, valueType: command.valueType, intent: command.intent }, 'no leader known; cross-partition command dropped until re-sent');
      return;
    }
    this.options.pool.deliver(address, this.id, command).catch((err: unknown) => {
      this.options.logger.debug({ err, partition: this.id, peer: address, valueType: command.valueType, intent: command.intent }, 'cross-partition delivery failed; it will be re-sent');
    });
  }

  private async activate(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse> {
    const { type, tenantIds } = command.value as { type: string; tenantIds?: string[] };
    const generation = this.hint(type).generation;
    const response = await this.forward(command, 0);
    if (response.ok) this.noteActivation(type, tenantSetKey(tenantIds), (response.value as ActivatedJobBatch).jobKeys.length, generation);
    return response;
  }

  private noteActivation(type: string, tenants: string, count: number, generationAtStart: number): void {
    const hint = this.hint(type);
    if (count > 0) hint.cold.delete(tenants);
    else if (hint.generation === generationAtStart) hint.cold.set(tenants, monotonicNow());
  }

  private hint(type: string): JobHint {
    let hint = this.hints.get(type);
    if (!hint) this.hints.set(type, (hint = { generation: 0, cold: new Map(), servedUntil: 0 }));
    return hint;
  }

  private async forward(command: Omit<EngineCommand, 'requestId'>, awaitTimeoutMs: number): Promise<CommandResponse> {
    const { pool, logger } = this.options;
    const deadline = Date.now() + this.retryDeadlineMs;
    let delay = FIRST_RETRY_MS;
    let lastFailure = 'no leader is known';
    for (;;) {
      const address = this.options.leaderAddress();
      if (address !== null) {
        try {
          return await pool.submit(address, this.id, command, awaitTimeoutMs > 0 ? { awaitTimeoutMs } : {});
        } catch (err) {
          // Anything else may have run the command: retrying could run it twice.
          if (!isSafeToRetry(err)) throw err;
          lastFailure = (err as Error).message;
          logger.debug({ partition: this.id, peer: address, err }, 'partition leader did not take the command; retrying');
        }
      } else {
        lastFailure = 'no leader is known';
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new ZenError('UNAVAILABLE', `Partition ${this.id} has no leader that takes commands (tried for ${this.retryDeadlineMs} ms; last: ${lastFailure})`);
      }
      await sleep(Math.min(delay, remaining));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }
}
