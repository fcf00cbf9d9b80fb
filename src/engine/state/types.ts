/** Rows of the engine state. Immutable: replace, never mutate. */
import type {
  CommandDistributionValue,
  IncidentValue,
  JobValue,
  MessageSubscriptionValue,
  MessageValue,
  ProcessInstanceValue,
  ProcessMessageSubscriptionValue,
  ProcessValue,
  TimerValue,
  Variables,
} from '../records.js';

export type ElementState =
  | 'ACTIVATING'
  | 'ACTIVATED'
  | 'COMPLETING'
  | 'TERMINATING';

export interface ElementInstance {
  readonly key: bigint;
  readonly state: ElementState;
  readonly value: ProcessInstanceValue;
  /** Child element instances that have not completed or terminated yet. */
  readonly activeChildren: number;
  /**
   * Sequence flows taken into parallel gateways whose join has not fired yet, per
   * `gatewayId \u0000 flowId`. Lives on the flow scope that contains the gateway.
   */
  readonly joinTokens: Readonly<Record<string, number>>;
  /** Variables delivered with the trigger that completes this element (job, message, error). */
  readonly triggerVariables: Variables | null;
  /** What this kind of element keeps while it runs, beyond the lifecycle every element has. */
  readonly payload: ElementPayload;
  /**
   * Execution listeners of the step in progress (start while ACTIVATING, end while COMPLETING):
   * how many completed, and the job of the one running (-1n: none). Absent: none ran yet.
   */
  readonly listeners?: ListenerProgress;
}

export interface ListenerProgress {
  readonly done: number;
  readonly jobKey: bigint;
}

/**
 * Per-kind state of an element instance. Kinds that hold something of their own get a
 * variant here (a task its job; multi-instance bodies, call activities and the like theirs),
 * so no field of one kind sits unused on every other.
 */
export type ElementPayload =
  | { readonly kind: 'none' }
  /** A task done by a job worker: its job, while it exists. */
  | { readonly kind: 'job'; readonly jobKey: bigint }
  /** A multi-instance body: inner instances started (the last one's loop counter) and completed so far. */
  | { readonly kind: 'multiInstance'; readonly started: number; readonly completed: number }
  /** A Camunda user task: its task, and the job of the task listener that runs now (-1n: none). */
  | { readonly kind: 'userTask'; readonly userTaskKey: bigint; readonly listenerJobKey: bigint }
  /** A call activity: the process instance it started. */
  | { readonly kind: 'callActivity'; readonly calledInstanceKey: bigint }
  /** An event-based gateway: the event that fired first (its flow is the one taken). */
  | { readonly kind: 'triggered'; readonly eventId: string };

export const NO_PAYLOAD: ElementPayload = Object.freeze({ kind: 'none' });

export interface VariableRow {
  readonly key: bigint;
  readonly scopeKey: bigint;
  readonly name: string;
  /** JSON text. */
  readonly value: string;
}

export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'ERROR_THROWN';

export interface JobRow {
  readonly key: bigint;
  readonly state: JobState;
  readonly value: JobValue;
}

export interface IncidentRow {
  readonly key: bigint;
  readonly value: IncidentValue;
}

export interface TimerRow {
  readonly key: bigint;
  readonly value: TimerValue;
}

export interface ProcessRow {
  readonly key: bigint;
  readonly value: ProcessValue;
  /** Deleted while instances still run on it: they go on, nothing new starts on it. */
  readonly deleting?: true;
}

export interface MessageRow {
  readonly key: bigint;
  readonly value: MessageValue;
}

/** Message partition side; keyed by `elementInstanceKey:messageName`. */
export interface MessageSubscriptionRow {
  readonly value: MessageSubscriptionValue;
  /** Set while a message is being delivered to the instance and not yet acknowledged. */
  readonly correlating: boolean;
}

export type ProcessMessageSubscriptionState = 'CREATING' | 'CREATED' | 'DELETING';

/** Process instance partition side; keyed by `elementInstanceKey:messageName`. */
export interface ProcessMessageSubscriptionRow {
  readonly state: ProcessMessageSubscriptionState;
  readonly value: ProcessMessageSubscriptionValue;
}

/** A command still being distributed to another partition; keyed by `key:partitionId`. */
export interface PendingDistributionRow {
  readonly key: bigint;
  readonly value: CommandDistributionValue;
}
