/**
 * The facade's tenant checks: a TenantAccess decides which tenants a caller (`forCaller`) may use,
 * with --multi-tenancy only; the node's own calls, without a caller, use every tenant.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CommandResponse, EngineCommand } from '../../../src/engine/processing/types.js';
import { RESOURCES } from '../../../src/history/search/resources.js';
import { withinTenants } from '../../../src/history/search/tenants.js';
import type { PartitionRead, PartitionReadResult } from '../../../src/history/read.js';
import type { PartitionDirectory } from '../../../src/node/local-directory.js';
import type { PartitionHandle } from '../../../src/node/partition-handle.js';
import { ZenNode } from '../../../src/node/zen-node.js';
import type { TenantAccess } from '../../../src/node/tenant-access.js';
import { userPrincipal } from '../../../src/node/principal.js';
import type { ZenApi } from '../../../src/node/api.js';

const logger = pino({ level: 'silent' });

/** One partition that answers every command and every read, and remembers what it was asked. */
function nodeWith(options: { multiTenancy: boolean; access?: TenantAccess }) {
  const submitted: Array<Omit<EngineCommand, 'requestId'>> = [];
  const reads: PartitionRead[] = [];
  const partition: PartitionHandle = {
    id: 1,
    isReady: true,
    hasActivatableJobs: () => false,
    async submit(command): Promise<CommandResponse> {
      submitted.push(command);
      return { ok: true, key: 1n, value: { processesMetadata: [], tenantId: (command.value as { tenantId: string }).tenantId } };
    },
    submitAwaiting: async () => ({ ok: false, rejectionType: 'INVALID_STATE', reason: 'not used' }) as CommandResponse,
    deliver: () => {},
  };
  const directory: PartitionDirectory = {
    partitionCount: 1,
    handle: () => partition,
    all: () => [partition],
    topology: () => ({ brokers: [], clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: 'test' }),
    marks: () => [],
    read: async (_id, query) => {
      reads.push(query);
      if (query.kind === 'history') return { value: { items: [], total: 0 }, servedBy: { nodeId: 0, role: 'LEADER' } };
      // Only the tenant of an instance matters here.
      const view = { processInstanceKey: 1n, tenantId: 'b', remoteCalledInstances: [], hasIncident: false } as unknown as PartitionReadResult;
      return { value: view, servedBy: { nodeId: 0, role: 'LEADER' } };
    },
  };
  const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, 1, logger, directory, options);
  return { node, submitted, reads };
}

const onlyA: TenantAccess = { allowedTenants: () => ['a'] };
const alice = userPrincipal('alice');
const deploy = (node: ZenApi, tenantId: string) => node.deploy({ resources: [{ name: 'p.bpmn', content: Buffer.from('<x/>') }], tenantId });

describe('tenant access at the facade', () => {
  it('refuses a tenant the access does not allow, FORBIDDEN and naming it, before any command is sent', async () => {
    const { node: bare, submitted } = nodeWith({ multiTenancy: true, access: onlyA });
    const node = bare.forCaller(alice);
    await expect(deploy(node, 'b')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: "Expected to handle request DeployResource with tenant identifier 'b', but tenant is not authorized to perform this request",
    });
    await expect(node.publishMessage({ name: 'm', correlationKey: 'k', timeToLiveMs: 0, messageId: '', variables: {}, tenantId: 'b' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(node.activateJobs({ type: 't', worker: 'w', timeoutMs: 1, maxJobsToActivate: 1, fetchVariables: [], requestTimeoutMs: 0, tenantIds: ['a', 'b'] }, new AbortController().signal)).rejects.toMatchObject({
      message: "Expected to activate job batch for tenants '[a, b]', but user is not authorized. Authorized tenants are '[a]'",
    });
    expect(submitted).toEqual([]);
    expect((await deploy(node, 'a')).tenantId).toBe('a');
    // The node's own work has no caller: every tenant.
    expect((await deploy(bare, 'b')).tenantId).toBe('b');
    expect(submitted.map((c) => (c.value as { tenantId: string }).tenantId)).toEqual(['a', 'b']);
  });

  it('asks no access policy without multi-tenancy, and allows every tenant by default', async () => {
    const refusing: TenantAccess = { allowedTenants: () => [] };
    expect((await deploy(nodeWith({ multiTenancy: false, access: refusing }).node.forCaller(alice), '<default>')).tenantId).toBe('<default>');
    expect((await deploy(nodeWith({ multiTenancy: true }).node.forCaller(alice), 'b')).tenantId).toBe('b');
  });

  it('narrows searches to the allowed tenants, and does not show another tenant’s instance by key', async () => {
    const { node: bare, reads } = nodeWith({ multiTenancy: true, access: onlyA });
    const node = bare.forCaller(alice);
    await node.searchHistory('processInstances', { filter: { state: 'ACTIVE' }, sort: [], page: { limit: 10 } });
    const search = reads[0] as Extract<PartitionRead, { kind: 'history' }>;
    expect(search.search.filter).toEqual({ state: 'ACTIVE', tenantId: { $in: ['a'] } });
    await expect(node.getProcessInstance(1n << 51n)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('withinTenants', () => {
  const instances = RESOURCES.processInstances;
  it('ANDs the caller’s own tenant condition with the allowed tenants', () => {
    expect(withinTenants(instances, undefined, ['a', 'b'])).toEqual({ tenantId: { $in: ['a', 'b'] } });
    expect(withinTenants(instances, { tenantId: 'c' }, ['a'])).toEqual({ tenantId: { $eq: 'c', $in: ['a'] } });
    expect(withinTenants(instances, { tenantId: { $in: ['a', 'c'] } }, ['a', 'b'])).toEqual({ tenantId: { $in: ['a'] } });
    expect(withinTenants(instances, { tenantId: { $like: 'a*' } }, ['a'])).toEqual({ tenantId: { $like: 'a*', $in: ['a'] } });
  });

  it('leaves resources without tenants, and filters that are not objects, as they are', () => {
    expect(withinTenants(RESOURCES.batchOperations, { state: 'ACTIVE' }, ['a'])).toEqual({ state: 'ACTIVE' });
    expect(withinTenants(instances, [1], ['a'])).toEqual([1]);
  });
});
