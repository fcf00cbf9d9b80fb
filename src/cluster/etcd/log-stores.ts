/**
 * The etcd clusters partition logs may live on, as the controller sees them: which ones new
 * logs go to, and a client for every one this node can reach. Implemented by the node
 * (src/cluster/etcd/partition-etcds.ts) from `--partition-etcd-endpoints`; the main cluster
 * code only reads it.
 */
import type { Etcd3 } from 'etcd3';
import type { EtcdClusterId } from './cluster-id.js';

export interface EtcdClusterHandle {
  readonly id: EtcdClusterId;
  readonly etcd: Etcd3;
  /** The main etcd (`--etcd-endpoints`). */
  readonly main: boolean;
  /** The client URLs this node was given for it (per-member work: metrics, defragmentation). */
  readonly endpoints: readonly string[];
}

export interface PartitionLogStores {
  /**
   * Ids of the etcd clusters new partition logs are placed on. Empty when this node was given
   * no partition etcd clusters: logs then stay on the main etcd and nothing is placed. Null
   * while a configured cluster is not identified yet: placing logs on the others meanwhile
   * would leave it empty for good, since logs never move.
   */
  eligible(): readonly EtcdClusterId[] | null;
  /** Why `eligible()` is null, for the controller's log. */
  pendingReason(): string | null;
  /** Every etcd cluster this node has identified and holds a client for, the main one included. */
  known(): readonly EtcdClusterHandle[];
}
