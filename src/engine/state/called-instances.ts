/**
 * Call activities whose child runs on another partition (docs/adr/008), on each of the three
 * sides: the caller's, the child's, and the thrower's (an error or escalation waiting for the
 * verdict of the call activities above). Rows that are not settled yet (CREATING, CANCELING,
 * RETURNING, every pending throw) are what the partition re-sends until answered.
 */
import { RecentKeys } from './recent-keys.js';
import { bigintKey, type Journal, Table } from './table.js';
import type { CalledProcessInstanceValue, CalledProcessThrowValue } from '../records.js';

/** Caller side, per call activity: asked to create, created, or asked to cancel. */
export interface RemoteCallRow {
  readonly state: 'CREATING' | 'CREATED' | 'CANCELING';
  readonly value: CalledProcessInstanceValue;
}

/** Child side, per call activity: the child runs, or it completed and its variables are on their way. */
export interface RemoteChildRow {
  readonly state: 'RUNNING' | 'RETURNING';
  readonly value: CalledProcessInstanceValue;
}

/**
 * How long the child side remembers a call activity it is done with. A CREATE still on its way
 * (or re-sent) may arrive after the CANCEL that ended the call, and must not start a child;
 * the caller sends no CREATE once it cancels, so an hour is ample (as for message subscriptions).
 */
export const RELEASED_CALL_MS = 3_600_000;

export class CalledInstanceState {
  readonly calls: Table<bigint, RemoteCallRow>;
  readonly children: Table<bigint, RemoteChildRow>;
  readonly released: RecentKeys;
  /** Throws waiting for their verdict, by thrower element instance. */
  readonly throws: Table<bigint, CalledProcessThrowValue>;
  /** Throws this partition caught without interrupting (by throw key), for RELEASED_CALL_MS. */
  readonly caught: RecentKeys;

  constructor(journal: Journal) {
    this.calls = new Table('remote_calls', bigintKey, journal);
    this.children = new Table('remote_children', bigintKey, journal);
    this.released = new RecentKeys('remote_children_released', journal, RELEASED_CALL_MS);
    this.throws = new Table('remote_throws', bigintKey, journal);
    this.caught = new RecentKeys('remote_throws_caught', journal, RELEASED_CALL_MS);
  }

  /** The child side is done with this call activity (within RELEASED_CALL_MS). */
  wasReleased(callActivityKey: bigint): boolean {
    return this.released.has(callActivityKey.toString());
  }

  release(callActivityKey: bigint, at: number): void {
    this.children.delete(callActivityKey);
    this.released.remember(callActivityKey.toString(), at);
  }
}
