import { inTenant } from '../tenants.js';
import { DueIndex } from './due-index.js';
import { bigintKey, type Journal, stringKey, Table } from './table.js';
import type { MessageRow } from './types.js';

/** Messages correlate only within their tenant: the index is per tenant, name and correlation key. */
export function correlationIndexKey(tenantId: string | undefined, name: string, correlationKey: string): string {
  return inTenant(tenantId, `${name}\u0000${correlationKey}`);
}

function messageIdKey(tenantId: string | undefined, name: string, correlationKey: string, messageId: string): string {
  return inTenant(tenantId, `${name}\u0000${correlationKey}\u0000${messageId}`);
}

/** Buffered messages (those with a TTL) and which processes each one already reached. */
export class MessageState {
  readonly table: Table<bigint, MessageRow>;
  /** `messageKey:bpmnProcessId` rows: a message correlates once per process. */
  readonly correlated: Table<string, { readonly messageKey: bigint; readonly bpmnProcessId: string }>;
  readonly deadlines = new DueIndex();
  private readonly byCorrelation = new Map<string, Set<bigint>>();
  private readonly byMessageId = new Map<string, bigint>();
  private readonly correlatedByMessage = new Map<bigint, Set<string>>();

  constructor(journal: Journal) {
    this.table = new Table('messages', bigintKey, journal);
    this.correlated = new Table('message_correlations', stringKey, journal);
    this.table.onChange((key, previous, next) => {
      const row = (next ?? previous)!.value;
      const ck = correlationIndexKey(row.tenantId, row.name, row.correlationKey);
      if (previous) {
        this.deadlines.remove(previous.value.deadline, key);
        const set = this.byCorrelation.get(ck);
        set?.delete(key);
        if (set && set.size === 0) this.byCorrelation.delete(ck);
        if (row.messageId) this.byMessageId.delete(messageIdKey(row.tenantId, row.name, row.correlationKey, row.messageId));
      }
      if (next) {
        this.deadlines.add(next.value.deadline, key);
        let set = this.byCorrelation.get(ck);
        if (!set) this.byCorrelation.set(ck, (set = new Set()));
        set.add(key);
        if (row.messageId) this.byMessageId.set(messageIdKey(row.tenantId, row.name, row.correlationKey, row.messageId), key);
      }
    });
    this.correlated.onChange((rowKey, previous, next) => {
      const messageKey = (next ?? previous)!.messageKey;
      let set = this.correlatedByMessage.get(messageKey);
      if (next) {
        if (!set) this.correlatedByMessage.set(messageKey, (set = new Set()));
        set.add(rowKey);
      } else if (set) {
        set.delete(rowKey);
        if (set.size === 0) this.correlatedByMessage.delete(messageKey);
      }
    });
  }

  get(key: bigint): MessageRow | undefined {
    return this.table.get(key);
  }

  put(row: MessageRow): void {
    this.table.set(row.key, row);
  }

  remove(key: bigint): void {
    for (const rowKey of [...(this.correlatedByMessage.get(key) ?? [])]) this.correlated.delete(rowKey);
    this.table.delete(key);
  }

  /** A tenant's buffered messages for a name and correlation key, oldest first. */
  find(name: string, correlationKey: string, tenantId: string): bigint[] {
    const set = this.byCorrelation.get(correlationIndexKey(tenantId, name, correlationKey));
    return set ? [...set] : [];
  }

  /** Message ids are unique per tenant, name and correlation key. */
  existsWithId(name: string, correlationKey: string, messageId: string, tenantId: string): boolean {
    return this.byMessageId.has(messageIdKey(tenantId, name, correlationKey, messageId));
  }

  isCorrelatedTo(messageKey: bigint, bpmnProcessId: string): boolean {
    return this.correlated.has(`${messageKey}:${bpmnProcessId}`);
  }

  markCorrelated(messageKey: bigint, bpmnProcessId: string): void {
    this.correlated.set(`${messageKey}:${bpmnProcessId}`, { messageKey, bpmnProcessId });
  }
}
