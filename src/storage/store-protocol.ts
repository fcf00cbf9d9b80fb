import type { PartitionSearch } from '../history/search/run.js';
import type { HistoryAggregate } from '../history/statistics/aggregate.js';
import type { ReadQuery, ReadResult } from '../engine/read-views.js';
import type { RawLogEntry } from './log-entry.js';
import type { StateRow, StoreOptions } from './sqlite-store.js';

/** Requests from the main thread to the storage worker; answered in order. */
export type StoreRequest =
  | { readonly op: 'open'; readonly options: StoreOptions }
  | { readonly op: 'info' }
  | { readonly op: 'stateRows' }
  | { readonly op: 'readEntries'; readonly fromIndex: number; readonly limit: number }
  | { readonly op: 'append'; readonly entries: readonly RawLogEntry[] }
  | { readonly op: 'checkpoint'; readonly index: number; readonly rows: StateRow[]; readonly reset: boolean }
  | { readonly op: 'compact'; readonly keepFromIndex: number }
  | { readonly op: 'snapshot'; readonly path: string }
  | { readonly op: 'backup'; readonly path: string }
  | { readonly op: 'searchHistory'; readonly search: PartitionSearch }
  | { readonly op: 'aggregateHistory'; readonly aggregate: HistoryAggregate }
  | { readonly op: 'historyExpired'; readonly cutoff: number }
  | { readonly op: 'injectFault'; readonly kind: 'append' | 'checkpoint' }
  | { readonly op: 'close' }
  // A follower's state, held in the worker (partition/follower-state.ts; ADR 020):
  /** Follow: the state is (re)built from the checkpoint and the log after it, when first needed. */
  | { readonly op: 'follow'; readonly partitionId: number; readonly checkpointIntervalMs: number }
  /** Committed entries to apply and append; answered with the store's info. */
  | { readonly op: 'applyFollowed'; readonly entries: readonly RawLogEntry[] }
  /** Stop following: the state is checkpointed (the engine takes over from there) and dropped. */
  | { readonly op: 'unfollow' }
  /** A read of the followed state: null when not following. */
  | { readonly op: 'readFollowed'; readonly query: ReadQuery }
  /** Every row of the followed state, as `dumpState` lists them (for comparisons). */
  | { readonly op: 'dumpFollowed' };

export type StoreMessage = StoreRequest & { readonly id: number };

export type StoreReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { message: string; code?: string; zen: boolean } };

/** How a followed state answers a read: `reached` false when it has not applied far enough (see `hasReached`). */
export type FollowedRead = { readonly reached: false } | { readonly reached: true; readonly value: ReadResult };
