import type { RejectionType } from '../../errors.js';
import { authorizedFor } from '../tenants.js';
import { applyEvent } from '../appliers/index.js';
import type { ExecutableElement, ExecutableProcess } from '../../model/types.js';
import type { ModelCache } from '../models.js';
import type { EventIntent, ValueType, ZenRecord } from '../records.js';
import type { EngineState } from '../state/engine-state.js';
import type { ElementInstance } from '../state/types.js';
import type { AwaitingResults } from './awaiting.js';
import { ConditionWork } from './condition-work.js';
import type { ElementCommand } from './element-commands.js';
import type {
  CommandResponse,
  DeferredResponse,
  EngineCommand,
  EngineConfig,
  OutboundCommand,
} from './types.js';

/**
 * What one kind of BPMN element does in each lifecycle step. `activate` runs after
 * ELEMENT_ACTIVATING, the input mappings and the start execution listeners (the lifecycle runs
 * those); `complete` after ELEMENT_COMPLETING, and again once the end execution listeners that
 * its output mappings started have completed (`applyOutputMappings` then skips the mappings);
 * both run again when an incident they raised is resolved, so they must be safe to repeat.
 * `terminate` releases what the element holds before ELEMENT_TERMINATED.
 *
 * A container hears about its children: `onChildCompleting` just before a child's
 * ELEMENT_COMPLETED, while the child's variables still exist; `onChildCompleted` after it completed and took
 * its outgoing flows (`flowsTaken` says how many; none means that path ended), and
 * `onChildTerminated` after a child was terminated while the container itself goes on (an
 * interrupting boundary event, a terminate end event). Whether the container completes then
 * is its own decision, not the lifecycle's.
 */
export interface ElementProcessor {
  activate(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): void;
  complete(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): void;
  terminate(ctx: ProcessingContext, instance: ElementInstance, element: ExecutableElement, model: ExecutableProcess): void;
  /** False when it raised an incident: the child stays completing until it is resolved. */
  onChildCompleting(ctx: ProcessingContext, scope: ElementInstance, child: ElementInstance): boolean;
  onChildCompleted(ctx: ProcessingContext, scope: ElementInstance, child: ElementInstance, flowsTaken: number): void;
  onChildTerminated(ctx: ProcessingContext, scope: ElementInstance, child: ElementInstance): void;
}

/** Finds the processor of an element; built once per engine and handed on the processing context. */
export interface ElementProcessorLookup {
  of(element: ExecutableElement): ElementProcessor;
}

/**
 * Everything one command's processing may touch. Processors and behaviors write events
 * through `event()`, which applies them immediately, so later steps of the same command
 * see the new state — exactly what a replay of the same records will produce.
 */
export class ProcessingContext {
  readonly records: ZenRecord[] = [];
  readonly outbox: OutboundCommand[] = [];
  readonly deferred: DeferredResponse[] = [];
  readonly queue: ElementCommand[] = [];
  /** How far the engine has drained `queue`: the element commands from here on are still to run. */
  queueIndex = 0;
  /** The activation being run, while a processor's `activate` runs for it (start instructions). */
  activation: Extract<ElementCommand, { kind: 'ACTIVATE' }> | null = null;
  response: CommandResponse | null = null;
  /** Work that must only happen if the command commits (caches, ephemeral registries). */
  readonly onCommit: Array<() => void> = [];
  /** Undo for ephemeral changes made during processing, if the command is rolled back. */
  readonly onRollback: Array<() => void> = [];
  /** Set when the command turned out to be obsolete (a timer already gone): nothing is logged. */
  discarded = false;
  /** Conditional events to look at before the command is done. */
  readonly conditions = new ConditionWork();

  constructor(
    readonly state: EngineState,
    readonly models: ModelCache,
    readonly config: EngineConfig,
    readonly awaiting: AwaitingResults,
    /** The element processors by kind (processors/bpmn/registry.ts). */
    readonly processors: ElementProcessorLookup,
    readonly command: EngineCommand,
    readonly now: number,
  ) {}

  get partitionId(): number {
    return this.config.partitionId;
  }

  nextKey(): bigint {
    return this.state.nextKey();
  }

  /** Whether the command's client may act on an entity of this tenant (else: not found). */
  mayUseTenant(tenantId: string | undefined): boolean {
    return authorizedFor(this.command.authorizedTenants, tenantId);
  }

  /** Writes the command itself as the first record. */
  writeCommand(): void {
    const { command } = this;
    this.records.push(this.record('COMMAND', command.valueType, command.intent, command.key, command.value));
  }

  event<T extends ValueType, V>(valueType: T, intent: EventIntent<T>, key: bigint, value: V): ZenRecord<V> {
    const record = this.record('EVENT', valueType, intent, key, value);
    this.records.push(record);
    applyEvent(this.state, record, this.models);
    return record;
  }

  /** Rejects the command: a COMMAND_REJECTION record and, for a waiting client, an error. */
  reject(rejectionType: RejectionType, reason: string): void {
    const { command } = this;
    const record = this.record('COMMAND_REJECTION', command.valueType, command.intent, command.key, command.value);
    record.rejectionType = rejectionType;
    record.rejectionReason = reason;
    this.records.push(record);
    this.response = { ok: false, rejectionType, reason };
  }

  /** The command has no effect and leaves no trace (internal commands that lost a race). */
  discard(): void {
    this.discarded = true;
  }

  respond(key: bigint, value: unknown): void {
    this.response = { ok: true, key, value };
  }

  send(command: OutboundCommand): void {
    this.outbox.push(command);
  }

  enqueue(command: ElementCommand): void {
    this.queue.push(command);
  }

  /** Element commands queued and not run yet. */
  pendingElementCommands(): readonly ElementCommand[] {
    return this.queue.slice(this.queueIndex);
  }

  /** Drops the activations queued inside a scope (tokens an interrupting event sub-process ends before they arrive). */
  dropPendingActivations(scopeKey: bigint): void {
    const kept = this.queue.slice(this.queueIndex).filter((command) => command.kind !== 'ACTIVATE' || command.value.flowScopeKey !== scopeKey);
    this.queue.splice(this.queueIndex, this.queue.length - this.queueIndex, ...kept);
  }

  private record<V>(recordType: ZenRecord['recordType'], valueType: ValueType, intent: string, key: bigint, value: V): ZenRecord<V> {
    return {
      position: 0,
      sourceRecordPosition: -1,
      key,
      timestamp: this.now,
      partitionId: this.config.partitionId,
      recordType,
      valueType,
      intent,
      value,
    };
  }
}
