/** `zen status`: the topology, like `zbctl status`. */
import type { Command } from 'commander';
import { clientCommand, type ClientIo } from '../client-command.js';
import { fields, formatTable } from '../table.js';

interface Topology {
  readonly brokers?: readonly {
    readonly nodeId: number;
    readonly host: string;
    readonly port: number;
    readonly version: string;
    readonly partitions: readonly { partitionId: number; role: string; health: string }[];
  }[];
  readonly clusterSize?: number;
  readonly partitionsCount?: number;
  readonly replicationFactor?: number;
  readonly gatewayVersion?: string;
}

export function formatTopology(topology: Topology): string {
  const summary =
    `cluster size: ${topology.clusterSize}, partitions: ${topology.partitionsCount}, ` +
    `replication factor: ${topology.replicationFactor}, gateway version: ${topology.gatewayVersion}\n`;
  const rows = (topology.brokers ?? []).flatMap((b) =>
    b.partitions.map((p) => ({ nodeId: b.nodeId, address: `${b.host}:${b.port}`, version: b.version, ...p })),
  );
  return summary + formatTable(rows, fields('nodeId', 'address', 'partitionId', 'role', 'health', 'version'));
}

export function registerStatus(program: Command, io: ClientIo): void {
  clientCommand(program, io, 'status', "print the cluster's topology: nodes, partitions, leaders, health", () => {}, async (client) => {
    const reply = await client.get('/topology');
    return { reply, text: formatTopology };
  });
}
