/**
 * The main cluster's state: which nodes exist, and which node holds which partition in
 * which role. It changes only through ClusterCommands appended to the cluster log in etcd;
 * every node folds the same log with the same pure reducer and so reaches the same state.
 */

export interface NodeAddresses {
  /** Host other nodes and clients reach this node at (`--advertise-host`). */
  readonly host: string;
  readonly grpcPort: number;
  readonly restPort: number;
  readonly systemPort: number;
  readonly privatePort: number;
}

/** ACTIVE: registered and alive. DOWN: its registration lease expired. LEFT: left on purpose. */
export type NodeState = 'ACTIVE' | 'DOWN' | 'LEFT';

export interface ClusterNode {
  readonly nodeId: number;
  readonly zone: string;
  readonly state: NodeState;
  readonly addresses: NodeAddresses;
  /** Holds no partitions: only membership and control. */
  readonly controllerOnly: boolean;
  readonly version: string;
  /** Cluster-log sequence number of the last change to this node. */
  readonly since: number;
}

/** Assignment lifecycle of one node in one partition group. */
export type MemberState = 'JOINING' | 'ACTIVE' | 'LEAVING';

export type MemberRole = 'LEADER' | 'FOLLOWER' | 'INACTIVE';

export interface PartitionMember {
  readonly nodeId: number;
  readonly state: MemberState;
  readonly role: MemberRole;
  /** Leadership term (etcd election revision) that made it leader; 0 when not leader. */
  readonly term: number;
  readonly since: number;
}

export interface ClusterConfig {
  readonly partitionCount: number;
  readonly replicationFactor: number;
}

export interface ClusterState {
  /** Sequence number of the last command folded in (0 = empty log). */
  readonly version: number;
  readonly config: ClusterConfig | null;
  readonly nodes: ReadonlyMap<number, ClusterNode>;
  /** partitionId → nodeId → member. */
  readonly partitions: ReadonlyMap<number, ReadonlyMap<number, PartitionMember>>;
  /**
   * partitionId → the etcd cluster holding its log (election, head, entries), by etcd cluster
   * id. A partition without an entry has its log on the main etcd: clusters that never used
   * `--partition-etcd-endpoints` record nothing here.
   */
  readonly partitionLogs: ReadonlyMap<number, EtcdClusterId>;
  /** The highest backup id requested (ClusterBackupRequest); absent = none. Only the highest is kept. */
  readonly lastBackupId?: number;
  /** The cluster change being carried out (cluster-change.ts), or null. */
  readonly pendingChange: ClusterChange | null;
  /** The last change that completed or was cancelled, or null. */
  readonly lastChange: ClusterChange | null;
  /**
   * Settings changed at run time for the whole cluster (ADR 016): option name → value as
   * text, and the sequence number that set it. A setting absent here is each node's own
   * start-up value. Optional so that states built before it existed still type-check.
   */
  readonly settings?: ReadonlyMap<string, ClusterSetting>;
}

export interface ClusterSetting {
  readonly value: string;
  readonly since: number;
}

export type { EtcdClusterId } from '../etcd/cluster-id.js';
import type { EtcdClusterId } from '../etcd/cluster-id.js';
import type { ClusterChange, ClusterChangeCommand } from './cluster-change.js';

export const EMPTY_CLUSTER_STATE: ClusterState = {
  version: 0,
  config: null,
  nodes: new Map(),
  partitions: new Map(),
  partitionLogs: new Map(),
  pendingChange: null,
  lastChange: null,
  settings: new Map(),
};

/**
 * ClusterNodeChange: a node registered, changed address, went down, left.
 * ClusterNodePartitionChange: a node was assigned to / removed from a partition group, or its
 * role in it changed (a leader announces itself with role LEADER and its term).
 * ClusterConfigChange: the bootstrap configuration (first command of the log).
 * ClusterPartitionLogChange: the etcd cluster a partition's log lives on (set once).
 * ClusterChangePlanned / StepDone / Cancelled: an operator's cluster change (cluster-change.ts).
 * Fields left undefined keep their previous value.
 */
export type ClusterCommand =
  | {
      readonly type: 'ClusterConfigChange';
      readonly partitionCount: number;
      readonly replicationFactor: number;
    }
  | {
      readonly type: 'ClusterNodeChange';
      readonly nodeId: number;
      readonly state?: NodeState;
      readonly zone?: string;
      readonly addresses?: NodeAddresses;
      readonly controllerOnly?: boolean;
      readonly version?: string;
    }
  | {
      readonly type: 'ClusterNodePartitionChange';
      readonly nodeId: number;
      readonly partitionId: number;
      /** 'REMOVED' drops the member from the group. */
      readonly state?: MemberState | 'REMOVED';
      readonly role?: MemberRole;
      readonly term?: number;
    }
  | {
      readonly type: 'ClusterPartitionLogChange';
      readonly partitionId: number;
      readonly etcdClusterId: EtcdClusterId;
    }
  | {
      /** A backup was requested (src/backup/): every partition leader takes its part. */
      readonly type: 'ClusterBackupRequest';
      readonly backupId: number;
    }
  | {
      /** Runtime settings for every node: option name → value; '' drops the override. */
      readonly type: 'ClusterSettingsChange';
      readonly settings: Readonly<Record<string, string>>;
    }
  | ClusterChangeCommand;

/** Where other nodes reach a node's private port: `host:port`. */
export function privateAddress(node: ClusterNode): string {
  return `${node.addresses.host}:${node.addresses.privatePort}`;
}

/** The current leader of a partition per cluster state: the LEADER member with the highest term. */
export function leaderOf(state: ClusterState, partitionId: number): PartitionMember | null {
  let best: PartitionMember | null = null;
  for (const member of state.partitions.get(partitionId)?.values() ?? []) {
    if (member.role === 'LEADER' && (!best || member.term > best.term)) best = member;
  }
  return best;
}
