/**
 * Telling etcd clusters apart. Every etcd response header carries the id of the cluster that
 * answered, the same on all its members and different for every cluster, so it identifies a
 * cluster whichever of its endpoints a node was given and in whatever order.
 */
import type { Etcd3 } from 'etcd3';
import { createEtcdClient, withTimeout } from './client.js';

/** An etcd cluster's id (the `cluster_id` of its response headers) in lowercase hex, as etcdctl prints it. */
export type EtcdClusterId = string;

/** etcd's uint64 id (a decimal string on the wire) in lowercase hex, as etcdctl prints ids. */
export function hexClusterId(decimal: string): string {
  return BigInt(decimal).toString(16);
}

/** The id of the cluster `etcd` is connected to. */
export async function etcdClusterId(etcd: Etcd3, callTimeoutMs: number): Promise<string> {
  const status = await withTimeout(etcd.maintenance.status(), callTimeoutMs, 'etcd status');
  return hexClusterId(status.header.cluster_id);
}

export interface EndpointIdentities {
  /** endpoint → the cluster id it answered with. */
  readonly answers: ReadonlyMap<string, string>;
  /** endpoint → why it did not answer. */
  readonly failures: ReadonlyMap<string, string>;
}

/**
 * Asks each endpoint on its own which cluster it belongs to. One client over all of them would
 * answer from whichever member it picked, and a list that mixes two clusters (a typo in the
 * grouping) would then send each request to either one.
 */
export async function identifyEndpoints(endpoints: readonly string[], callTimeoutMs: number): Promise<EndpointIdentities> {
  const answers = new Map<string, string>();
  const failures = new Map<string, string>();
  await Promise.all(
    endpoints.map(async (endpoint) => {
      const client = createEtcdClient({ endpoints: [endpoint], callTimeoutMs });
      try {
        answers.set(endpoint, await etcdClusterId(client, callTimeoutMs));
      } catch (err) {
        failures.set(endpoint, err instanceof Error ? err.message : String(err));
      } finally {
        client.close();
      }
    }),
  );
  return { answers, failures };
}
