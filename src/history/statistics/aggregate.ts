/**
 * Aggregate reads of the history (ADR 010): what one partition counts or lists for a diagram,
 * beside the paged searches. Plain data, like a PartitionSearch: it crosses the storage worker
 * and the private port. Statistics of several partitions are summed per element (merge.ts).
 */

export type HistoryAggregate =
  /** Per element of a definition: how many of its instances (matching the filter) are at it, and how. */
  | { readonly kind: 'definitionElementStatistics'; readonly processDefinitionKey: bigint; readonly filter?: unknown }
  /** Per element of one instance: how many of its element instances are in each state. */
  | { readonly kind: 'instanceElementStatistics'; readonly processInstanceKey: bigint }
  /** The sequence flows one instance has taken, each once. */
  | { readonly kind: 'sequenceFlows'; readonly processInstanceKey: bigint };

/** Camunda's ProcessElementStatisticsResult. */
export interface ElementStatistics {
  readonly elementId: string;
  readonly active: number;
  readonly canceled: number;
  readonly incidents: number;
  readonly completed: number;
}

/** Camunda's ProcessInstanceSequenceFlowResult. */
export interface SequenceFlowItem {
  readonly sequenceFlowId: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly elementId: string;
  readonly tenantId: string;
}

export type AggregateResult = ElementStatistics[] | SequenceFlowItem[];

export const AGGREGATE_KINDS: ReadonlySet<string> = new Set(['definitionElementStatistics', 'instanceElementStatistics', 'sequenceFlows']);
