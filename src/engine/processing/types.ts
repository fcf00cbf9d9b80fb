import type { RejectionType } from '../../errors.js';
import type { CompileResult } from '../../model/types.js';
import type { ValueType, ZenRecord } from '../records.js';

/** What a deployment command carries besides its value: every resource compiled before processing (src/partition/prepare.ts). */
export interface DeploymentAttachment {
  readonly compiled: ReadonlyMap<string, CompileResult>;
}

export interface EngineConfig {
  readonly partitionId: number;
  readonly partitionCount: number;
  /** `--multi-tenancy`: clients may name tenants other than the default one. */
  readonly multiTenancy?: boolean;
  /** Guard against models that loop forever without a wait state. */
  readonly maxStepsPerCommand?: number;
}

/** A command as it enters the engine. */
export interface EngineCommand {
  readonly valueType: ValueType;
  readonly intent: string;
  /** The entity the command targets; -1n when it creates one. */
  readonly key: bigint;
  readonly value: any;
  /** Where the response goes; null for commands nobody waits for (timers, other partitions). */
  readonly requestId?: string | null;
  /**
   * The tenants the client that sent it may use (Zeebe's authorized tenants of the command's
   * AuthInfo): an entity of another tenant, targeted by key, is not found. Absent: every tenant
   * (multi-tenancy off, no caller, the node's own work, commands between partitions). Not logged:
   * only events are replayed, and a refusal is its own COMMAND_REJECTION record.
   */
  readonly authorizedTenants?: readonly string[];
  /**
   * Data the partition prepared asynchronously before processing and that is not logged,
   * e.g. the compiled models of a deployment.
   */
  readonly attachment?: unknown;
}

/**
 * Why a command got no answer from the engine, beyond the engine's own rejections:
 * NOT_LEADER — it was certainly not committed (safe to send to the new leader);
 * UNKNOWN_OUTCOME — leadership was lost while it was being committed; it may have been.
 */
export type DriverRejectionType = 'NOT_LEADER' | 'UNKNOWN_OUTCOME';

export type CommandResponse =
  | { readonly ok: true; readonly key: bigint; readonly value: unknown }
  | { readonly ok: false; readonly rejectionType: RejectionType | DriverRejectionType; readonly reason: string };

/** A command for another partition (or this one), delivered at least once after commit. */
export interface OutboundCommand {
  readonly partitionId: number;
  readonly valueType: ValueType;
  readonly intent: string;
  readonly key: bigint;
  readonly value: unknown;
}

export interface DeferredResponse {
  readonly requestId: string;
  readonly response: CommandResponse;
}

export interface ProcessingResult {
  /** The command record first, then what it caused. Empty when the command changed nothing worth logging. */
  readonly records: ZenRecord[];
  readonly response: CommandResponse | null;
  /** Answers to earlier requests that this command completed (CreateProcessInstanceWithResult). */
  readonly deferred: DeferredResponse[];
  readonly outbox: OutboundCommand[];
}
