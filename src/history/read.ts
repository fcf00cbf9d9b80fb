/**
 * What a partition replica answers: a read of its runtime state (engine/read-views.ts) or a
 * page of a history search (ADR 010). Both go the same way: to a replica in sync, followers
 * first, over the private port when the replica is on another node.
 */
import type { ReadQuery, ReadResult } from '../engine/read-views.js';
import type { PartitionPage, PartitionSearch } from './search/run.js';

export interface HistoryRead {
  readonly kind: 'history';
  readonly search: PartitionSearch;
  /**
   * Read your writes: answered only by a replica that has applied the partition's log up to its
   * head as etcd had it when the read arrived, so every write acknowledged before is seen.
   */
  readonly fresh?: boolean;
}

export type PartitionRead = ReadQuery | HistoryRead;
export type PartitionReadResult = ReadResult | PartitionPage;
