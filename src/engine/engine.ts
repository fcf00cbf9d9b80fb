/**
 * The engine: (state, command, clock) → records. Deterministic and free of I/O — the
 * partition driver owns the log, the database, the clock and the network.
 */
import { evaluateChangedConditions, evaluateOpenedConditions } from './behaviors/conditions.js';
import { runActivate, runComplete } from './behaviors/transitions.js';
import type { ModelCache } from './models.js';
import { AwaitingResults } from './processing/awaiting.js';
import { ProcessingContext } from './processing/context.js';
import type { EngineCommand, EngineConfig, ProcessingResult } from './processing/types.js';
import { createElementProcessors } from './processors/bpmn/registry.js';
import { commandProcessorFor } from './processors/commands/index.js';
import { CommandRejected } from './processing/rejection.js';
import { tenantRefusal } from './processing/tenant-guard.js';
import type { ZenRecord } from './records.js';
import type { EngineState } from './state/engine-state.js';

const DEFAULT_MAX_STEPS = 100_000;

class StepLimitExceeded extends Error {}

export class Engine {
  readonly awaiting = new AwaitingResults();
  private readonly processors = createElementProcessors();

  constructor(
    readonly state: EngineState,
    readonly models: ModelCache,
    readonly config: EngineConfig,
  ) {}

  /**
   * `now` is the driver's clock; a clock pinned in state (CLOCK PINNED) takes its place, so the
   * command, its records and every due date it computes are at the pinned instant.
   */
  process(command: EngineCommand, now: number): ProcessingResult {
    const at = this.state.pinnedClock ?? now;
    const ctx = new ProcessingContext(this.state, this.models, this.config, this.awaiting, this.processors, command, at);
    this.state.journal.begin();
    try {
      ctx.writeCommand();
      const processor = commandProcessorFor(command.valueType, command.intent);
      const tenantProblem = processor ? tenantRefusal(this.config, command) : null;
      if (!processor) ctx.reject('INVALID_ARGUMENT', `Zen does not process ${command.valueType} ${command.intent} commands`);
      else if (tenantProblem) ctx.reject('INVALID_ARGUMENT', tenantProblem);
      else {
        processor(ctx, command);
        this.drain(ctx);
      }
      this.state.journal.commit();
    } catch (err) {
      this.state.journal.rollback();
      for (const undo of ctx.onRollback) undo();
      return this.failed(ctx, err);
    }
    for (const action of ctx.onCommit) action();
    return {
      records: ctx.discarded ? [] : ctx.records,
      response: ctx.response,
      deferred: ctx.deferred,
      outbox: ctx.outbox,
    };
  }

  /**
   * Runs the queued element steps. Conditions opened by a step are looked at right after it;
   * once the queue is empty, the conditions that saw variables change are, and whatever they
   * fire is drained in turn.
   */
  private drain(ctx: ProcessingContext): void {
    const max = this.config.maxStepsPerCommand ?? DEFAULT_MAX_STEPS;
    let steps = 0;
    let i = 0;
    for (;;) {
      evaluateOpenedConditions(ctx);
      if (i >= ctx.queue.length) {
        if (evaluateChangedConditions(ctx)) continue;
        break;
      }
      if (++steps > max) {
        const last = ctx.queue[i]!;
        const where = last.kind === 'ACTIVATE' ? ` (at element '${last.value.elementId}')` : '';
        throw new StepLimitExceeded(
          `Processing the command took more than ${max} steps${where}; the process probably loops without a wait state`,
        );
      }
      const next = ctx.queue[i]!;
      ctx.queueIndex = ++i;
      if (next.kind === 'ACTIVATE') runActivate(ctx, next);
      else runComplete(ctx, next.key);
    }
    ctx.queue.length = 0;
  }

  /** A bug, a runaway model or a CommandRejected: nothing of the command is kept; it is rejected with the reason. */
  private failed(ctx: ProcessingContext, err: unknown): ProcessingResult {
    const message = err instanceof Error ? err.message : String(err);
    const rejected = err instanceof CommandRejected;
    const rejectionType = rejected ? err.rejectionType : 'PROCESSING_ERROR';
    const reason = rejected || err instanceof StepLimitExceeded ? message : `Unexpected error while processing the command: ${message}`;
    const command = ctx.command;
    const base = {
      position: 0,
      sourceRecordPosition: -1,
      key: command.key,
      timestamp: ctx.now,
      partitionId: this.config.partitionId,
      valueType: command.valueType,
      intent: command.intent,
      value: command.value,
    };
    const records: ZenRecord[] = [
      { ...base, recordType: 'COMMAND' },
      { ...base, recordType: 'COMMAND_REJECTION', rejectionType, rejectionReason: reason },
    ];
    if (!rejected && !(err instanceof StepLimitExceeded)) (this.onBug ?? (() => {}))(err, command);
    return { records, response: { ok: false, rejectionType, reason }, deferred: [], outbox: [] };
  }

  /** Set by the partition to log unexpected errors with their stack. */
  onBug: ((err: unknown, command: EngineCommand) => void) | null = null;
}
