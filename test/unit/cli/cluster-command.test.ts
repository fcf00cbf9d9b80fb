/** `zen cluster ...` against a fake management port: the requests sent and what is printed. */
import { describe, expect, it } from 'vitest';
import { runCli, type CliDeps } from '../../../src/cli/main.js';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

function harness(answer: { status?: number; body?: unknown }, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: Sent[] = [];
  const deps: CliDeps = {
    env,
    startNode: async () => {
      throw new Error('no node in these tests');
    },
    createLogger: () => {
      throw new Error('no logger in these tests');
    },
    exit: () => {},
    onSignal: () => {},
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async () => Buffer.from(''),
    fetch: async (url, init) => {
      sent.push({ method: init.method ?? 'GET', url, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) });
      return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
    },
  };
  return { run: (...args: string[]) => runCli(['node', 'zen', ...args], deps), sent, stdout: () => out.join(''), stderr: () => err.join('') };
}

const planned = {
  changeId: 42,
  currentTopology: [],
  plannedChanges: [
    { operation: 'PARTITION_JOIN', brokerId: 3, partitionId: 2 },
    { operation: 'PARTITION_LEADER_TRANSFER', brokerId: 3, partitionId: 2 },
    { operation: 'PARTITION_LEAVE', brokerId: 1, partitionId: 2 },
  ],
  expectedTopology: [{ id: 3, state: 'ACTIVE', zone: 'z', partitions: [{ id: 2, state: 'ACTIVE', role: 'LEADER' }] }],
};

describe('zen cluster', () => {
  it('status reads /actuator/cluster from --management-url and shows nodes and the pending change', async () => {
    const h = harness({
      body: {
        version: 17,
        partitionCount: 3,
        replicationFactor: 2,
        brokers: [{ id: 0, state: 'ACTIVE', zone: 'a', partitions: [{ id: 1, state: 'ACTIVE', role: 'LEADER' }, { id: 2, state: 'JOINING', role: 'FOLLOWER' }] }],
        pendingChange: { id: 12, status: 'IN_PROGRESS', startedAt: '2026-01-01T00:00:00.000Z', completed: [{ operation: 'PARTITION_JOIN', brokerId: 0, partitionId: 2, completedAt: 'x' }], pending: [{ operation: 'BROKER_REMOVE', brokerId: 1 }] },
      },
    });
    expect(await h.run('cluster', 'status', '--management-url', 'node-1:9600')).toBe(0);
    expect(h.sent).toEqual([{ method: 'GET', url: 'http://node-1:9600/actuator/cluster', body: undefined }]);
    expect(h.stdout()).toContain('replication factor 2');
    expect(h.stdout()).toMatch(/0\s+ACTIVE\s+a\s+1\* 2 \(JOINING\)/);
    expect(h.stdout()).toContain('change 12 IN_PROGRESS');
    expect(h.stdout()).toContain('done  node 0 joins partition 2');
    expect(h.stdout()).toContain('next  node 1 leaves the cluster');
  });

  it('add-node POSTs the broker, with ?dryRun=true for --dry-run, and prints the plan', async () => {
    const h = harness({ status: 202, body: planned }, { ZEN_MANAGEMENT_URL: 'http://mgmt:9600' });
    expect(await h.run('cluster', 'add-node', '3', '--dry-run')).toBe(0);
    expect(h.sent[0]).toEqual({ method: 'POST', url: 'http://mgmt:9600/actuator/cluster/brokers/3?dryRun=true', body: undefined });
    expect(h.stdout()).toContain('dry run: change 42 would be');
    expect(h.stdout()).toContain('node 3 joins partition 2');
    expect(h.stdout()).toContain('partition 2 is led by node 3');
  });

  it('remove-node DELETEs the broker; a refusal prints the detail and exits 1', async () => {
    const h = harness({ status: 409, body: { type: 'about:blank', title: 'INVALID_STATE', status: 409, detail: 'Removing node 1 would leave 1 node(s)', instance: '/actuator/cluster/brokers/1' } });
    expect(await h.run('cluster', 'remove-node', '1')).toBe(1);
    expect(h.sent[0]).toMatchObject({ method: 'DELETE', url: 'http://localhost:9600/actuator/cluster/brokers/1' });
    expect(h.stderr()).toBe('zen: Removing node 1 would leave 1 node(s)\n');
  });

  it('scale PATCHes the replication factor in Zeebe shape; --json prints the answer', async () => {
    const h = harness({ status: 202, body: planned });
    expect(await h.run('cluster', 'scale', '--replication-factor', '3', '--json')).toBe(0);
    expect(h.sent[0]).toEqual({ method: 'PATCH', url: 'http://localhost:9600/actuator/cluster', body: { partitions: { replicationFactor: 3 } } });
    expect(JSON.parse(h.stdout())).toEqual(planned);
  });

  it('cancel DELETEs the change and prints the topology with the change CANCELLED', async () => {
    const h = harness({
      body: {
        version: 30,
        partitionCount: 3,
        replicationFactor: 2,
        brokers: [{ id: 0, state: 'ACTIVE', zone: 'a', partitions: [{ id: 1, state: 'ACTIVE', role: 'LEADER' }] }],
        lastChange: { id: 12, status: 'CANCELLED', startedAt: '2026-01-01T00:00:00.000Z', completedAt: '2026-01-01T00:01:00.000Z', reason: 'cancelled by an operator' },
      },
    });
    expect(await h.run('cluster', 'cancel', '12', '--management-url', 'node-1:9600')).toBe(0);
    expect(h.sent).toEqual([{ method: 'DELETE', url: 'http://node-1:9600/actuator/cluster/changes/12', body: undefined }]);
    expect(h.stdout()).toContain('change 12 cancelled');
    expect(h.stdout()).toContain('last change 12: CANCELLED at 2026-01-01T00:01:00.000Z (cancelled by an operator)');
  });

  it('cancel of a change that is not pending prints the detail and exits 1', async () => {
    const h = harness({ status: 404, body: { type: 'about:blank', title: 'NOT_FOUND', status: 404, detail: 'Cluster change 11 is not pending (the pending change is 12); only the pending change can be cancelled' } });
    expect(await h.run('cluster', 'cancel', '11')).toBe(1);
    expect(h.stderr()).toContain('the pending change is 12');
  });

  it('refuses a bad node id, change id or factor before sending anything', async () => {
    const h = harness({});
    expect(await h.run('cluster', 'add-node', 'x')).toBe(2);
    expect(await h.run('cluster', 'cancel', 'abc')).toBe(2);
    expect(await h.run('cluster', 'scale', '--replication-factor', '0')).toBe(2);
    expect(await h.run('cluster', 'scale')).toBe(2);
    expect(h.sent).toEqual([]);
  });
});
