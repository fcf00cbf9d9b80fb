/**
 * Signals on one partition: the element instances waiting for one (by name), and the
 * broadcasts received from other partitions — remembered for an hour, so a re-sent one (its
 * acknowledgement lost) does not fire twice.
 */
import { RecentKeys } from './recent-keys.js';
import { stringKey, type Journal, Table } from './table.js';
import type { SignalSubscriptionValue } from '../records.js';
import { inTenant } from '../tenants.js';

export const RECEIVED_SIGNAL_MS = 3_600_000;

export class SignalState {
  readonly subscriptions: Table<string, SignalSubscriptionValue>;
  readonly received: RecentKeys;
  /** By tenant and signal name: a signal reaches only its own tenant's subscriptions. */
  private readonly byName = new Map<string, Set<string>>();
  private readonly byInstance = new Map<bigint, Set<string>>();

  constructor(journal: Journal) {
    this.subscriptions = new Table('signal_subscriptions', stringKey, journal);
    this.subscriptions.onChange((key, previous, next) => {
      const value = (next ?? previous)!;
      if (previous && !next) {
        remove(this.byName, inTenant(value.tenantId, value.signalName), key);
        remove(this.byInstance, value.elementInstanceKey, key);
      } else if (next && !previous) {
        add(this.byName, inTenant(value.tenantId, value.signalName), key);
        add(this.byInstance, value.elementInstanceKey, key);
      }
    });
    this.received = new RecentKeys('signals_received', journal, RECEIVED_SIGNAL_MS);
  }

  subscribe(value: SignalSubscriptionValue): void {
    this.subscriptions.set(subscriptionKey(value), value);
  }

  unsubscribe(value: SignalSubscriptionValue): void {
    this.subscriptions.delete(subscriptionKey(value));
  }

  /** Who of a tenant waits for `signalName`, in subscription order. */
  waitingFor(signalName: string, tenantId: string): SignalSubscriptionValue[] {
    return [...(this.byName.get(inTenant(tenantId, signalName)) ?? [])].map((key) => this.subscriptions.get(key)!);
  }

  ofElementInstance(elementInstanceKey: bigint): SignalSubscriptionValue[] {
    return [...(this.byInstance.get(elementInstanceKey) ?? [])].map((key) => this.subscriptions.get(key)!);
  }

  wasReceived(signalKey: bigint): boolean {
    return this.received.has(signalKey.toString());
  }

  /** Remembers a distributed broadcast; forgets those older than RECEIVED_SIGNAL_MS. */
  markReceived(signalKey: bigint, at: number): void {
    this.received.remember(signalKey.toString(), at);
  }
}

function subscriptionKey(value: SignalSubscriptionValue): string {
  return `${value.signalName}\u0000${value.elementInstanceKey}\u0000${value.catchElementId}`;
}

function add<K>(index: Map<K, Set<string>>, key: K, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function remove<K>(index: Map<K, Set<string>>, key: K, value: string): void {
  const set = index.get(key);
  set?.delete(value);
  if (set && set.size === 0) index.delete(key);
}
