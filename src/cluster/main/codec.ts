/**
 * ClusterCommand <-> protobuf (proto/cluster.proto), the value of each `cluster/log/<seq>` key,
 * and ClusterState <-> ClusterSnapshot, the value of `cluster/snapshot`.
 *
 * Protobuf rather than JSON because the log outlives releases: field numbers give a stable,
 * versionable wire format. The .proto file is the contract and is read at runtime with
 * protobufjs (the same library @grpc/proto-loader uses), so there is no generated code to
 * keep in step with it.
 *
 * Unset optional fields stay unset both ways: an absent field in a command means "keep the
 * previous value" to the reducer, which is not the same as a zero value.
 */
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { ClusterCommand, ClusterNode, ClusterSetting, ClusterState, MemberRole, MemberState, NodeAddresses, NodeState, PartitionMember } from './types.js';
import { findPackageFile } from '../../package-file.js';
import { changeCommandFromObject, changeCommandToMessage, changeFromSnapshot, changeToSnapshot } from './change-codec.js';

const PROTO_FILE = join('proto', 'cluster.proto');

const NODE_STATES: Record<NodeState, string> = {
  ACTIVE: 'NODE_STATE_ACTIVE',
  DOWN: 'NODE_STATE_DOWN',
  LEFT: 'NODE_STATE_LEFT',
};
const MEMBER_STATES: Record<MemberState | 'REMOVED', string> = {
  JOINING: 'MEMBER_STATE_JOINING',
  ACTIVE: 'MEMBER_STATE_ACTIVE',
  LEAVING: 'MEMBER_STATE_LEAVING',
  REMOVED: 'MEMBER_STATE_REMOVED',
};
const MEMBER_ROLES: Record<MemberRole, string> = {
  LEADER: 'MEMBER_ROLE_LEADER',
  FOLLOWER: 'MEMBER_ROLE_FOLLOWER',
  INACTIVE: 'MEMBER_ROLE_INACTIVE',
};

let root: protobuf.Root | null = null;

function lookup(name: string): protobuf.Type {
  root ??= protobuf.loadSync(findPackageFile(PROTO_FILE));
  return root.lookupType(`zen.cluster.${name}`);
}

function messageType(): protobuf.Type {
  return lookup('ClusterCommand');
}

/**
 * The whole state, for `cluster/snapshot`. Nodes and members keep their map order, so a
 * node that starts from a snapshot iterates them exactly as one that folded the whole log.
 */
export function encodeClusterSnapshot(state: ClusterState): Uint8Array {
  const type = lookup('ClusterSnapshot');
  const members: Record<string, unknown>[] = [];
  for (const [partitionId, group] of state.partitions) {
    for (const m of group.values()) {
      members.push({
        partitionId: checkUint(partitionId, 'partitionId'),
        nodeId: checkUint(m.nodeId, 'nodeId'),
        state: MEMBER_STATES[m.state],
        role: MEMBER_ROLES[m.role],
        term: checkUint(m.term, 'term', Number.MAX_SAFE_INTEGER),
        since: checkUint(m.since, 'since', Number.MAX_SAFE_INTEGER),
      });
    }
  }
  const message = {
    version: checkUint(state.version, 'version', Number.MAX_SAFE_INTEGER),
    config: state.config ? { partitionCount: state.config.partitionCount, replicationFactor: state.config.replicationFactor } : undefined,
    nodes: [...state.nodes.values()].map((n) => ({
      nodeId: checkUint(n.nodeId, 'nodeId'),
      state: NODE_STATES[n.state],
      zone: n.zone,
      addresses: addressesTo(n.addresses),
      controllerOnly: n.controllerOnly,
      version: n.version,
      since: checkUint(n.since, 'since', Number.MAX_SAFE_INTEGER),
    })),
    members,
    partitionLogs: [...state.partitionLogs].map(([partitionId, etcdClusterId]) => ({ partitionId: checkUint(partitionId, 'partitionId'), etcdClusterId })),
    lastBackupId: state.lastBackupId ? checkUint(state.lastBackupId, 'lastBackupId', Number.MAX_SAFE_INTEGER) : undefined,
    settings: [...(state.settings ?? [])].map(([key, s]) => ({ key, value: s.value, since: checkUint(s.since, 'since', Number.MAX_SAFE_INTEGER) })),
    pendingChange: changeToSnapshot(state.pendingChange),
    lastChange: changeToSnapshot(state.lastChange),
  };
  return type.encode(type.fromObject(withoutUndefined(message))).finish();
}

export function decodeClusterSnapshot(bytes: Uint8Array): ClusterState {
  const type = lookup('ClusterSnapshot');
  const object = type.toObject(type.decode(bytes), { enums: String, longs: Number, defaults: false, arrays: true }) as {
    version?: number;
    config?: Record<string, unknown>;
    nodes: Record<string, unknown>[];
    members: Record<string, unknown>[];
    partitionLogs: Record<string, unknown>[];
    lastBackupId?: number;
    settings?: Record<string, unknown>[];
    pendingChange?: Record<string, unknown>;
    lastChange?: Record<string, unknown>;
  };
  const nodes = new Map<number, ClusterNode>();
  for (const n of object.nodes) {
    const nodeId = uint(n.nodeId);
    nodes.set(nodeId, {
      nodeId,
      zone: (n.zone as string | undefined) ?? '',
      state: fromEnum(NODE_STATES, n.state, 'NodeState'),
      addresses: addressesFrom((n.addresses as Record<string, unknown> | undefined) ?? {}),
      controllerOnly: (n.controllerOnly as boolean | undefined) ?? false,
      version: (n.version as string | undefined) ?? '',
      since: uint(n.since),
    });
  }
  const partitions = new Map<number, Map<number, PartitionMember>>();
  for (const m of object.members) {
    const partitionId = uint(m.partitionId);
    const state = fromEnum(MEMBER_STATES, m.state, 'MemberState');
    if (state === 'REMOVED') throw new Error('Cluster snapshot holds a REMOVED member');
    const group = partitions.get(partitionId) ?? new Map<number, PartitionMember>();
    group.set(uint(m.nodeId), { nodeId: uint(m.nodeId), state, role: fromEnum(MEMBER_ROLES, m.role, 'MemberRole'), term: uint(m.term), since: uint(m.since) });
    partitions.set(partitionId, group);
  }
  const partitionLogs = new Map<number, string>();
  for (const l of object.partitionLogs) partitionLogs.set(uint(l.partitionId), (l.etcdClusterId as string | undefined) ?? '');
  const config = object.config ? { partitionCount: uint(object.config.partitionCount), replicationFactor: uint(object.config.replicationFactor) } : null;
  const lastBackupId = uint(object.lastBackupId);
  const settings = new Map<string, ClusterSetting>();
  for (const entry of object.settings ?? []) settings.set((entry.key as string | undefined) ?? '', { value: (entry.value as string | undefined) ?? '', since: uint(entry.since) });
  return {
    version: uint(object.version),
    config,
    nodes,
    partitions,
    partitionLogs,
    settings,
    pendingChange: changeFromSnapshot(object.pendingChange),
    lastChange: changeFromSnapshot(object.lastChange),
    ...(lastBackupId > 0 ? { lastBackupId } : {}),
  };
}

export function encodeClusterCommand(command: ClusterCommand): Uint8Array {
  const type = messageType();
  return type.encode(type.fromObject(toMessage(command))).finish();
}

export function decodeClusterCommand(bytes: Uint8Array): ClusterCommand {
  const type = messageType();
  const object = type.toObject(type.decode(bytes), { enums: String, longs: Number, defaults: false }) as Record<string, Record<string, unknown> | undefined>;
  if (object.configChange) {
    const m = object.configChange;
    return { type: 'ClusterConfigChange', partitionCount: uint(m.partitionCount), replicationFactor: uint(m.replicationFactor) };
  }
  if (object.nodeChange) {
    const m = object.nodeChange;
    return withoutUndefined({
      type: 'ClusterNodeChange',
      nodeId: uint(m.nodeId),
      state: m.state === undefined ? undefined : fromEnum(NODE_STATES, m.state, 'NodeState'),
      zone: m.zone as string | undefined,
      addresses: m.addresses === undefined ? undefined : addressesFrom(m.addresses as Record<string, unknown>),
      controllerOnly: m.controllerOnly as boolean | undefined,
      version: m.version as string | undefined,
    });
  }
  if (object.partitionChange) {
    const m = object.partitionChange;
    return withoutUndefined({
      type: 'ClusterNodePartitionChange',
      nodeId: uint(m.nodeId),
      partitionId: uint(m.partitionId),
      state: m.state === undefined ? undefined : fromEnum(MEMBER_STATES, m.state, 'MemberState'),
      role: m.role === undefined ? undefined : fromEnum(MEMBER_ROLES, m.role, 'MemberRole'),
      term: m.term === undefined ? undefined : uint(m.term),
    });
  }
  if (object.partitionLogChange) {
    const m = object.partitionLogChange;
    return { type: 'ClusterPartitionLogChange', partitionId: uint(m.partitionId), etcdClusterId: (m.etcdClusterId as string | undefined) ?? '' };
  }
  if (object.backupRequest) {
    return { type: 'ClusterBackupRequest', backupId: uint(object.backupRequest.backupId) };
  }
  if (object.settingsChange) {
    return { type: 'ClusterSettingsChange', settings: { ...((object.settingsChange.settings as Record<string, string> | undefined) ?? {}) } };
  }
  const change = changeCommandFromObject(object);
  if (change) return change;
  // A command this build does not know (a newer node wrote it): folding past it would let
  // this node's state silently diverge from the others', so refuse loudly instead.
  throw new Error('Cluster command has no known variant (written by a newer version?)');
}

function toMessage(command: ClusterCommand): Record<string, unknown> {
  switch (command.type) {
    case 'ClusterConfigChange':
      return {
        configChange: {
          partitionCount: checkUint(command.partitionCount, 'partitionCount'),
          replicationFactor: checkUint(command.replicationFactor, 'replicationFactor'),
        },
      };
    case 'ClusterNodeChange':
      return {
        nodeChange: withoutUndefined({
          nodeId: checkUint(command.nodeId, 'nodeId'),
          state: command.state === undefined ? undefined : NODE_STATES[command.state],
          zone: command.zone,
          addresses: command.addresses === undefined ? undefined : addressesTo(command.addresses),
          controllerOnly: command.controllerOnly,
          version: command.version,
        }),
      };
    case 'ClusterNodePartitionChange':
      return {
        partitionChange: withoutUndefined({
          nodeId: checkUint(command.nodeId, 'nodeId'),
          partitionId: checkUint(command.partitionId, 'partitionId'),
          state: command.state === undefined ? undefined : MEMBER_STATES[command.state],
          role: command.role === undefined ? undefined : MEMBER_ROLES[command.role],
          term: command.term === undefined ? undefined : checkUint(command.term, 'term', Number.MAX_SAFE_INTEGER),
        }),
      };
    case 'ClusterPartitionLogChange':
      return {
        partitionLogChange: { partitionId: checkUint(command.partitionId, 'partitionId'), etcdClusterId: command.etcdClusterId },
      };
    case 'ClusterBackupRequest':
      return { backupRequest: { backupId: checkUint(command.backupId, 'backupId', Number.MAX_SAFE_INTEGER) } };
    case 'ClusterSettingsChange':
      return { settingsChange: { settings: { ...command.settings } } };
    case 'ClusterChangePlanned':
    case 'ClusterChangeStepDone':
    case 'ClusterChangeCancelled':
      return changeCommandToMessage(command);
  }
}

function addressesTo(a: NodeAddresses): Record<string, unknown> {
  return {
    host: a.host,
    grpcPort: checkUint(a.grpcPort, 'grpcPort'),
    restPort: checkUint(a.restPort, 'restPort'),
    systemPort: checkUint(a.systemPort, 'systemPort'),
    privatePort: checkUint(a.privatePort, 'privatePort'),
  };
}

function addressesFrom(m: Record<string, unknown>): NodeAddresses {
  return {
    host: (m.host as string | undefined) ?? '',
    grpcPort: uint(m.grpcPort),
    restPort: uint(m.restPort),
    systemPort: uint(m.systemPort),
    privatePort: uint(m.privatePort),
  };
}

/** proto3 omits zero scalars, so an absent plain field is 0. */
function uint(value: unknown): number {
  return value === undefined ? 0 : Number(value);
}

/** protobufjs would silently wrap a negative or fractional number into some other uint. */
function checkUint(value: number, field: string, max = 0xffffffff): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`Cluster command field ${field} must be an integer in [0, ${max}], got ${value}`);
  }
  return value;
}

function fromEnum<T extends string>(table: Record<T, string>, wire: unknown, what: string): T {
  for (const [name, wireName] of Object.entries(table) as [T, string][]) {
    if (wireName === wire) return name;
  }
  throw new Error(`Cluster command has an unknown ${what} ${String(wire)}`);
}

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
