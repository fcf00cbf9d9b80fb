import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Topology } from '../../node/api.js';
import type { RpcContext } from './types.js';
import { unary } from './unary.js';
import type { Empty, TopologyResponse } from './wire.js';

export function topologyHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    Topology: unary<Empty, TopologyResponse>(ctx, 'Topology', async () =>
      encodeTopology(await ctx.api.topology()),
    ),
  };
}

/** Role and health names are the proto's enum names; proto-loader (enums: String) encodes them. */
function encodeTopology(topology: Topology): TopologyResponse {
  return {
    brokers: topology.brokers.map((broker) => ({
      nodeId: broker.nodeId,
      host: broker.host,
      port: broker.port,
      version: broker.version,
      partitions: broker.partitions.map((p) => ({
        partitionId: p.partitionId,
        role: p.role,
        health: p.health,
      })),
    })),
    clusterSize: topology.clusterSize,
    partitionsCount: topology.partitionsCount,
    replicationFactor: topology.replicationFactor,
    gatewayVersion: topology.gatewayVersion,
  };
}
