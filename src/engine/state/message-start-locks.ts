/**
 * Message start events with a correlation key start one instance per key at a time: while an
 * instance started by (process, key) runs, another message with that key starts none. The lock
 * is taken by MESSAGE_START_EVENT_SUBSCRIPTION CORRELATED and released when that instance ends.
 */
import { storedInTenant } from '../tenants.js';
import { stringKey, type Journal, Table } from './table.js';

export interface MessageStartLockRow {
  readonly bpmnProcessId: string;
  readonly correlationKey: string;
  readonly processInstanceKey: bigint;
  /** Absent on locks taken before tenants existed: the default tenant's. */
  readonly tenantId?: string;
}

export class MessageStartLocks {
  readonly table: Table<string, MessageStartLockRow>;
  private readonly byInstance = new Map<bigint, string>();

  constructor(journal: Journal) {
    this.table = new Table('message_start_locks', stringKey, journal);
    this.table.onChange((key, previous, next) => {
      if (previous) this.byInstance.delete(previous.processInstanceKey);
      if (next) this.byInstance.set(next.processInstanceKey, key);
    });
  }

  isLocked(bpmnProcessId: string, correlationKey: string, tenantId: string): boolean {
    return this.table.has(lockKey(bpmnProcessId, correlationKey, tenantId));
  }

  lock(row: MessageStartLockRow): void {
    this.table.set(lockKey(row.bpmnProcessId, row.correlationKey, row.tenantId), row);
  }

  /** The instance ended: its key is free again. */
  release(processInstanceKey: bigint): void {
    const key = this.byInstance.get(processInstanceKey);
    if (key !== undefined) this.table.delete(key);
  }
}

function lockKey(bpmnProcessId: string, correlationKey: string, tenantId: string | undefined): string {
  return storedInTenant(tenantId, `${bpmnProcessId}\u0000${correlationKey}`);
}
