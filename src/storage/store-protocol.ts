import type { PartitionSearch } from '../history/search/run.js';
import type { HistoryAggregate } from '../history/statistics/aggregate.js';
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
  | { readonly op: 'close' };

export type StoreMessage = StoreRequest & { readonly id: number };

export type StoreReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { message: string; code?: string; zen: boolean } };
