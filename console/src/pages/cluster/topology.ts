/** `GET /v2/topology`, and the same read by partition instead of by node. */
import { get } from '../../lib/api';

export interface Topology {
  readonly brokers: readonly Broker[];
  readonly clusterSize: number;
  readonly partitionsCount: number;
  readonly replicationFactor: number;
  readonly gatewayVersion: string;
}

export interface Broker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly version: string;
  readonly partitions: readonly { readonly partitionId: number; readonly role: string; readonly health: string }[];
}

export interface PartitionView {
  readonly partitionId: number;
  readonly leader: number | null;
  readonly followers: readonly number[];
  /** The worst health any member reports. */
  readonly health: string;
}

export const getTopology = (signal?: AbortSignal) => get<Topology>('/topology', signal);

const HEALTH_ORDER = ['healthy', 'unhealthy', 'dead'];

export function byPartition(topology: Topology): PartitionView[] {
  const views = new Map<number, { leader: number | null; followers: number[]; health: string }>();
  for (let id = 1; id <= topology.partitionsCount; id++) views.set(id, { leader: null, followers: [], health: 'dead' });
  const seen = new Set<number>();
  for (const broker of topology.brokers) {
    for (const p of broker.partitions) {
      const view = views.get(p.partitionId) ?? { leader: null, followers: [], health: 'dead' };
      if (!seen.has(p.partitionId)) {
        seen.add(p.partitionId);
        view.health = p.health;
      } else if (HEALTH_ORDER.indexOf(p.health) > HEALTH_ORDER.indexOf(view.health)) view.health = p.health;
      if (p.role === 'leader') view.leader = broker.nodeId;
      else view.followers.push(broker.nodeId);
      views.set(p.partitionId, view);
    }
  }
  return [...views.entries()].sort(([a], [b]) => a - b).map(([partitionId, v]) => ({ partitionId, ...v }));
}
