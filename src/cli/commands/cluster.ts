/**
 * `zen cluster status | add-node ID | remove-node ID | scale --replication-factor N | cancel ID`:
 * cluster changes through a node's management port (ADR 017), with `--dry-run` to see the plan
 * only.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ClientIo } from '../client-command.js';
import { managementCommand } from '../management-client.js';
import { fields, formatTable } from '../table.js';

interface Operation {
  readonly operation: string;
  readonly brokerId: number;
  readonly partitionId?: number;
  readonly fromBrokerId?: number;
  readonly completedAt?: string;
}

interface Broker {
  readonly id: number;
  readonly state: string;
  readonly zone: string;
  readonly partitions: readonly { id: number; state: string; role: string }[];
}

interface Topology {
  readonly version: number;
  readonly partitionCount?: number;
  readonly replicationFactor?: number;
  readonly brokers: readonly Broker[];
  readonly pendingChange?: { id: number; status: string; startedAt: string; completed: Operation[]; pending: Operation[] };
  readonly lastChange?: { id: number; status: string; startedAt: string; completedAt?: string; reason?: string };
}

interface Planned {
  readonly changeId: number;
  readonly plannedChanges: readonly Operation[];
  readonly expectedTopology: readonly Broker[];
}

export function describeOperation(op: Operation): string {
  switch (op.operation) {
    case 'PARTITION_JOIN':
      return `node ${op.brokerId} joins partition ${op.partitionId}`;
    case 'PARTITION_LEAVE':
      return `node ${op.brokerId} leaves partition ${op.partitionId}`;
    case 'PARTITION_LEADER_TRANSFER':
      return `partition ${op.partitionId} is led by node ${op.brokerId}${op.fromBrokerId === undefined ? '' : ` (if node ${op.fromBrokerId} leads it)`}`;
    case 'BROKER_REMOVE':
      return `node ${op.brokerId} leaves the cluster`;
    default:
      return `${op.operation} node ${op.brokerId}${op.partitionId === undefined ? '' : ` partition ${op.partitionId}`}`;
  }
}

function brokerRows(brokers: readonly Broker[]): string {
  const rows = brokers.map((b) => ({
    node: b.id,
    state: b.state,
    zone: b.zone,
    partitions: b.partitions.map((p) => `${p.id}${p.role === 'LEADER' ? '*' : ''}${p.state === 'ACTIVE' ? '' : ` (${p.state})`}`).join(' '),
  }));
  return formatTable(rows, fields('node', 'state', 'zone', 'partitions'));
}

export function formatClusterStatus(t: Topology): string {
  let text = `cluster version ${t.version}, ${t.partitionCount ?? '?'} partitions, replication factor ${t.replicationFactor ?? '?'} (* = leader)\n`;
  text += brokerRows(t.brokers);
  const pending = t.pendingChange;
  if (pending) {
    text += `change ${pending.id} ${pending.status} since ${pending.startedAt}: ${pending.completed.length} of ${pending.completed.length + pending.pending.length} steps done\n`;
    for (const op of pending.completed) text += `  done  ${describeOperation(op)}\n`;
    for (const op of pending.pending) text += `  next  ${describeOperation(op)}\n`;
  }
  const last = t.lastChange;
  if (last) text += `last change ${last.id}: ${last.status}${last.completedAt ? ` at ${last.completedAt}` : ''}${last.reason ? ` (${last.reason})` : ''}\n`;
  return text;
}

export function formatPlanned(dryRun: boolean) {
  return (p: Planned): string => {
    let text = dryRun ? `dry run: change ${p.changeId} would be\n` : `change ${p.changeId} accepted: follow it with zen cluster status\n`;
    if (p.plannedChanges.length === 0) text += '  nothing to do\n';
    for (const op of p.plannedChanges) text += `  ${describeOperation(op)}\n`;
    text += 'expected:\n';
    return text + brokerRows(p.expectedTopology);
  };
}

function nodeIdArgument(value: string): string {
  if (!/^\d{1,10}$/.test(value)) throw new InvalidArgumentError(`node id must be a non-negative integer, got '${value}'`);
  return value;
}

function changeIdArgument(value: string): string {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError(`change id must be a number, got '${value}'`);
  return value;
}

function positiveInteger(value: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`must be a positive integer, got '${value}'`);
  return Number(value);
}

const query = (dryRun: boolean | undefined) => (dryRun ? '?dryRun=true' : '');

export function registerCluster(program: Command, io: ClientIo): void {
  const cluster = program.command('cluster').description("a cluster's nodes and partition groups, through a node's management port");

  managementCommand(cluster, io, 'status', 'print the nodes, their partitions, and the pending and last change', async (client) => ({
    body: await client.request('GET', '/actuator/cluster'),
    text: formatClusterStatus,
  }));

  managementCommand<{ dryRun?: boolean }>(
    cluster,
    io,
    'add-node',
    'give a running node that holds nothing a share of the partitions',
    async (client, options, [id]) => ({
      body: await client.request('POST', `/actuator/cluster/brokers/${id}${query(options.dryRun)}`),
      text: formatPlanned(options.dryRun === true),
    }),
  )
    .argument('<id>', 'node id (--node-id of the new node)', nodeIdArgument)
    .option('--dry-run', 'show the plan without carrying it out');

  managementCommand<{ dryRun?: boolean }>(
    cluster,
    io,
    'remove-node',
    "drain a node: its partitions move to the others (leaderships first), then it is marked LEFT and may be stopped",
    async (client, options, [id]) => ({
      body: await client.request('DELETE', `/actuator/cluster/brokers/${id}${query(options.dryRun)}`),
      text: formatPlanned(options.dryRun === true),
    }),
  )
    .argument('<id>', 'node id', nodeIdArgument)
    .option('--dry-run', 'show the plan without carrying it out');

  managementCommand<{ dryRun?: boolean; replicationFactor: number }>(
    cluster,
    io,
    'scale',
    'change the replication factor of every partition',
    async (client, options) => ({
      body: await client.request('PATCH', `/actuator/cluster${query(options.dryRun)}`, { partitions: { replicationFactor: options.replicationFactor } }),
      text: formatPlanned(options.dryRun === true),
    }),
  )
    .addOption(new Option('--replication-factor <n>', 'the new replication factor').argParser(positiveInteger).makeOptionMandatory())
    .option('--dry-run', 'show the plan without carrying it out');

  managementCommand(
    cluster,
    io,
    'cancel',
    'cancel the pending change: steps already done stay done, and the automatic planner evens out the rest',
    async (client, _options, [id]) => ({
      body: await client.request('DELETE', `/actuator/cluster/changes/${id}`),
      text: (t: Topology) => `change ${id} cancelled\n${formatClusterStatus(t)}`,
    }),
  ).argument('<changeId>', 'id of the pending change (zen cluster status shows it)', changeIdArgument);
}
