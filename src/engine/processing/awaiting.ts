/**
 * Requests waiting for a process instance to complete (CreateProcessInstanceWithResult), and
 * user task commands waiting for the task listeners of their transition.
 * Deliberately not engine state: a waiting request does not survive a restart or a
 * failover anyway, and keeping it out of the log keeps replay independent of clients.
 */
export interface AwaitingRequest {
  readonly requestId: string;
  readonly fetchVariables: readonly string[];
}

export class AwaitingResults {
  private readonly byInstance = new Map<bigint, AwaitingRequest>();
  /** User task key → the request whose transition (assign, claim, update, complete) is running. */
  private readonly byUserTask = new Map<bigint, string>();

  addUserTask(userTaskKey: bigint, requestId: string): void {
    this.byUserTask.set(userTaskKey, requestId);
  }

  userTask(userTaskKey: bigint): string | undefined {
    return this.byUserTask.get(userTaskKey);
  }

  removeUserTask(userTaskKey: bigint): void {
    this.byUserTask.delete(userTaskKey);
  }

  add(processInstanceKey: bigint, request: AwaitingRequest): void {
    this.byInstance.set(processInstanceKey, request);
  }

  get(processInstanceKey: bigint): AwaitingRequest | undefined {
    return this.byInstance.get(processInstanceKey);
  }

  remove(processInstanceKey: bigint): void {
    this.byInstance.delete(processInstanceKey);
  }

  /** The partition forgets requests whose client gave up (timeout), so the map stays small. */
  removeRequest(requestId: string): void {
    for (const [key, waiting] of this.byUserTask) {
      if (waiting === requestId) {
        this.byUserTask.delete(key);
        return;
      }
    }
    for (const [key, request] of this.byInstance) {
      if (request.requestId === requestId) {
        this.byInstance.delete(key);
        return;
      }
    }
  }

  get size(): number {
    return this.byInstance.size;
  }
}
