/** The main cluster's etcd keys, as laid out in src/cluster/README.md. */
import { padIndex } from '../etcd/client.js';

export interface ClusterKeys {
  /** `/<prefix>/`, the root every key of this cluster lives under. */
  readonly root: string;
  readonly config: string;
  readonly nodesPrefix: string;
  node(nodeId: number): string;
  readonly head: string;
  readonly logPrefix: string;
  logEntry(seq: number): string;
  /** The folded state at some version; log entries below it may be gone. */
  readonly snapshot: string;
  readonly controllerPrefix: string;
  /** `p/<partitionId>/`: everything of one partition (log, head, election, applied), in whichever etcd holds its log. */
  partitionPrefix(partitionId: number): string;
}

export function clusterKeys(prefix: string): ClusterKeys {
  const name = prefix.replace(/^\/+|\/+$/g, '');
  if (!name) throw new Error('The cluster prefix (cluster name) must not be empty');
  const root = `/${name}/`;
  return {
    root,
    config: `${root}config`,
    nodesPrefix: `${root}nodes/`,
    node: (nodeId) => `${root}nodes/${nodeId}`,
    head: `${root}cluster/head`,
    logPrefix: `${root}cluster/log/`,
    logEntry: (seq) => `${root}cluster/log/${padIndex(seq)}`,
    snapshot: `${root}cluster/snapshot`,
    controllerPrefix: `${root}cluster/controller/`,
    partitionPrefix: (partitionId) => `${root}p/${partitionId}/`,
  };
}

/** The node id in a `nodes/<nodeId>` key, or null for anything else under the prefix. */
export function nodeIdOfKey(keys: ClusterKeys, key: string): number | null {
  if (!key.startsWith(keys.nodesPrefix)) return null;
  const rest = key.slice(keys.nodesPrefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : null;
}
