import type { CommandResponse, EngineCommand } from '../engine/processing/types.js';

/**
 * A partition as the node's routing sees it: the local Partition when this node leads it,
 * or a proxy to the leader on another node (over the private port). The API facade and the
 * job broker only ever talk to handles.
 */
export interface PartitionHandle {
  readonly id: number;
  /** Can take commands now (a local leader is ready, or a remote leader is known). */
  readonly isReady: boolean;
  /** Led by this node: the commands queued there and not yet processed. Undefined when led elsewhere. */
  readonly localBacklog?: number;
  /** Best knowledge of whether jobs of `type` can be activated there (remote: a hint). */
  hasActivatableJobs(type: string): boolean;
  /** Resolves with the response once the command is committed (and replicated). */
  submit(command: Omit<EngineCommand, 'requestId'>): Promise<CommandResponse>;
  /** CreateProcessInstanceWithResult: resolves with the rejection or the deferred result. */
  submitAwaiting(command: Omit<EngineCommand, 'requestId'>, timeoutMs: number): Promise<CommandResponse>;
  /** A command nobody waits for (cross-partition, at least once). */
  deliver(command: EngineCommand): void;
}
