import { RecentKeys } from './recent-keys.js';
import { correlationIndexKey } from './messages.js';
import { type Journal, stringKey, Table } from './table.js';
import type { MessageSubscriptionRow, ProcessMessageSubscriptionRow } from './types.js';

export function subscriptionKey(elementInstanceKey: bigint, messageName: string): string {
  return `${elementInstanceKey}:${messageName}`;
}

/** The message partition's subscriptions, found by message name and correlation key. */
/**
 * How long a deleted subscription is remembered on the message partition. Commands between
 * partitions are not delivered in order: a CREATE still on its way (or re-sent) may arrive
 * after the DELETE that ended the subscription, and must not bring it back. The process side
 * sends no CREATE once it deletes, so only ones already in flight can come: an hour is ample.
 */
export const TOMBSTONE_MS = 3_600_000;

export class MessageSubscriptionState {
  readonly table: Table<string, MessageSubscriptionRow>;
  readonly tombstones: RecentKeys;
  private readonly byCorrelation = new Map<string, Set<string>>();
  private readonly correlatingKeys = new Set<string>();

  constructor(journal: Journal) {
    this.table = new Table('message_subscriptions', stringKey, journal);
    this.tombstones = new RecentKeys('message_subscription_tombstones', journal, TOMBSTONE_MS);
    this.table.onChange((key, previous, next) => {
      const value = (next ?? previous)!.value;
      const ck = correlationIndexKey(value.tenantId, value.messageName, value.correlationKey);
      if (previous?.correlating) this.correlatingKeys.delete(key);
      if (next?.correlating) this.correlatingKeys.add(key);
      if (!next) {
        const set = this.byCorrelation.get(ck);
        set?.delete(key);
        if (set && set.size === 0) this.byCorrelation.delete(ck);
      } else if (!previous) {
        let set = this.byCorrelation.get(ck);
        if (!set) this.byCorrelation.set(ck, (set = new Set()));
        set.add(key);
      }
    });
  }

  get(elementInstanceKey: bigint, messageName: string): MessageSubscriptionRow | undefined {
    return this.table.get(subscriptionKey(elementInstanceKey, messageName));
  }

  /** The subscription was deleted (within TOMBSTONE_MS): a CREATE for it now is stale. */
  wasDeleted(elementInstanceKey: bigint, messageName: string): boolean {
    return this.tombstones.has(subscriptionKey(elementInstanceKey, messageName));
  }

  /** Deletes the subscription and remembers that it was deleted; forgets deletions older than TOMBSTONE_MS. */
  delete(elementInstanceKey: bigint, messageName: string, at: number): void {
    this.remove(elementInstanceKey, messageName);
    this.tombstones.remember(subscriptionKey(elementInstanceKey, messageName), at);
  }

  put(row: MessageSubscriptionRow): void {
    this.table.set(subscriptionKey(row.value.elementInstanceKey, row.value.messageName), row);
  }

  remove(elementInstanceKey: bigint, messageName: string): void {
    this.table.delete(subscriptionKey(elementInstanceKey, messageName));
  }

  /** A tenant's subscriptions waiting for this name and correlation key, oldest first. */
  find(name: string, correlationKey: string, tenantId: string): MessageSubscriptionRow[] {
    const set = this.byCorrelation.get(correlationIndexKey(tenantId, name, correlationKey));
    if (!set) return [];
    const out: MessageSubscriptionRow[] = [];
    for (const key of set) out.push(this.table.get(key)!);
    return out;
  }

  /** Subscriptions whose correlation has not been acknowledged; the driver re-sends them. */
  correlating(): MessageSubscriptionRow[] {
    return [...this.correlatingKeys].map((key) => this.table.get(key)!);
  }
}

/** The process instance partition's subscriptions, per waiting element instance. */
export class ProcessMessageSubscriptionState {
  readonly table: Table<string, ProcessMessageSubscriptionRow>;
  private readonly byElementInstance = new Map<bigint, Set<string>>();
  private readonly pendingKeys = new Set<string>();

  constructor(journal: Journal) {
    this.table = new Table('process_message_subscriptions', stringKey, journal);
    this.table.onChange((key, previous, next) => {
      const eik = (next ?? previous)!.value.elementInstanceKey;
      if (previous && previous.state !== 'CREATED') this.pendingKeys.delete(key);
      if (next && next.state !== 'CREATED') this.pendingKeys.add(key);
      if (!next) {
        const set = this.byElementInstance.get(eik);
        set?.delete(key);
        if (set && set.size === 0) this.byElementInstance.delete(eik);
      } else if (!previous) {
        let set = this.byElementInstance.get(eik);
        if (!set) this.byElementInstance.set(eik, (set = new Set()));
        set.add(key);
      }
    });
  }

  get(elementInstanceKey: bigint, messageName: string): ProcessMessageSubscriptionRow | undefined {
    return this.table.get(subscriptionKey(elementInstanceKey, messageName));
  }

  put(row: ProcessMessageSubscriptionRow): void {
    this.table.set(subscriptionKey(row.value.elementInstanceKey, row.value.messageName), row);
  }

  remove(elementInstanceKey: bigint, messageName: string): void {
    this.table.delete(subscriptionKey(elementInstanceKey, messageName));
  }

  ofElementInstance(elementInstanceKey: bigint): ProcessMessageSubscriptionRow[] {
    const set = this.byElementInstance.get(elementInstanceKey);
    return set ? [...set].map((key) => this.table.get(key)!) : [];
  }

  /** Subscriptions being opened or closed and not yet confirmed by the message partition. */
  pending(): ProcessMessageSubscriptionRow[] {
    return [...this.pendingKeys].map((key) => this.table.get(key)!);
  }
}
