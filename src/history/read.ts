/**
 * What a partition replica answers: a read of its runtime state (engine/read-views.ts) or a
 * page of a history search (ADR 010). Both go the same way: to a replica in sync, followers
 * first, over the private port when the replica is on another node.
 */
import type { ReadQuery, ReadResult } from '../engine/read-views.js';
import type { PartitionPage, PartitionSearch } from './search/run.js';
import type { AggregateResult, HistoryAggregate } from './statistics/aggregate.js';

export interface HistoryRead {
  readonly kind: 'history';
  readonly search: PartitionSearch;
  /**
   * Read your writes: answered only by a replica that has applied the partition's log up to its
   * head as etcd had it when the read arrived, so every write acknowledged before is seen.
   */
  readonly fresh?: boolean;
}

/** Counts or lists for a diagram (statistics/): answered whole by each partition, merged by the node. */
export interface HistoryAggregateRead {
  readonly kind: 'historyAggregate';
  readonly aggregate: HistoryAggregate;
}

export type PartitionRead = ReadQuery | HistoryRead | HistoryAggregateRead;
export type PartitionReadResult = ReadResult | PartitionPage | AggregateResult;

/** A read of the history tables (not of the runtime state): served by followers first. */
export function isHistoryRead(query: PartitionRead): query is HistoryRead | HistoryAggregateRead {
  return query.kind === 'history' || query.kind === 'historyAggregate';
}
