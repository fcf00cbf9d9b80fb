/**
 * Requests waiting for a process instance to complete (CreateProcessInstanceWithResult).
 * Deliberately not engine state: a waiting request does not survive a restart or a
 * failover anyway, and keeping it out of the log keeps replay independent of clients.
 */
export interface AwaitingRequest {
  readonly requestId: string;
  readonly fetchVariables: readonly string[];
}

export class AwaitingResults {
  private readonly byInstance = new Map<bigint, AwaitingRequest>();

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
