import { ZenError } from '../../../errors.js';
import { encodeTopology } from '../encode.js';
import { camundaDocs, type RouteGroup } from '../route.js';

export const clusterRoutes: RouteGroup = {
  name: 'cluster',
  routes: [
    {
      method: 'GET',
      path: '/topology',
      operationId: 'getTopology',
      summary: 'Get cluster topology',
      description: 'Obtains the current topology of the cluster the gateway is part of.',
      tag: 'Cluster',
      camundaDocs: camundaDocs('get-cluster-topology'),
      success: { status: 200, description: 'The current topology of the cluster.', schemaName: 'TopologyResponse' },
      errors: [500],
      handler: async (ctx) => encodeTopology(await ctx.api.topology()),
    },
    {
      method: 'GET',
      path: '/status',
      operationId: 'getStatus',
      summary: 'Get cluster status',
      description: 'Checks the health of the cluster: UP when at least one partition has a healthy leader.',
      tag: 'Cluster',
      camundaDocs: camundaDocs('get-cluster-status'),
      success: { status: 204, description: 'The cluster is UP: at least one partition has a healthy leader.' },
      errors: [503],
      handler: async (ctx) => {
        const topology = await ctx.api.topology();
        const up = topology.brokers.some((broker) =>
          broker.partitions.some((p) => p.role === 'LEADER' && p.health === 'HEALTHY'),
        );
        if (!up) throw new ZenError('UNAVAILABLE', 'The cluster is DOWN: no partition has a healthy leader');
        return undefined;
      },
    },
  ],
};
