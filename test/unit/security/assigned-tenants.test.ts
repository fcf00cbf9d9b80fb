/**
 * Which tenants a principal may use (docs/adr/013): assigned directly (user, client), through its
 * groups, roles or mapping rules; the administrator and callers without a principal may use all;
 * an unloaded copy refuses rather than answering "none". And the node's per-caller view passes
 * the caller to every tenant-aware operation.
 */
import { describe, expect, it } from 'vitest';
import { defaultTenantRow, NO_MEMBERS, type TenantRow, withMember } from '../../../src/engine/state/tenant-rows.js';
import { ANONYMOUS, userPrincipal, type Principal } from '../../../src/node/principal.js';
import { AssignedTenants } from '../../../src/security/tenants/assigned-tenants.js';
import { ZenNode } from '../../../src/node/zen-node.js';
import { ZenError } from '../../../src/errors.js';
import pino from 'pino';

function tenant(tenantId: string, members: Array<[keyof typeof NO_MEMBERS, string]>): TenantRow {
  let row: TenantRow = { tenantKey: 1n, tenantId, name: tenantId, description: '', members: NO_MEMBERS };
  for (const [type, id] of members) row = withMember(row, type, id, true);
  return row;
}

const rows = [
  defaultTenantRow(),
  tenant('a', [['USER', 'alice'], ['GROUP', 'ops']]),
  tenant('b', [['CLIENT', 'worker-app'], ['ROLE', 'auditor']]),
  tenant('c', [['MAPPING_RULE', 'rule-1'], ['USER', 'bob']]),
];

function access(loaded = true, mappingRules: readonly string[] = [], roles: readonly string[] = []) {
  return new AssignedTenants({ directory: { loaded, allTenants: () => rows }, adminUser: 'admin', rolesOf: () => roles, mappingRulesOf: () => mappingRules });
}

const client: Principal = { kind: 'client', id: 'worker-app', groups: [] };

describe('AssignedTenants', () => {
  it('gives a user the tenants it is assigned to directly or through a group; the default tenant only when assigned', () => {
    expect(access().allowedTenants(userPrincipal('alice'))).toEqual(['a']);
    expect(access().allowedTenants(userPrincipal('carol', ['ops']))).toEqual(['a']);
    expect(access().allowedTenants(userPrincipal('dave'))).toEqual([]);
    // A user id is not a client id, nor the other way round.
    expect(access().allowedTenants(userPrincipal('worker-app'))).toEqual([]);
    expect(access().allowedTenants({ kind: 'client', id: 'alice', groups: [] })).toEqual([]);
  });

  it('gives clients theirs, and counts roles and mapping rules from their seams', () => {
    expect(access().allowedTenants(client)).toEqual(['b']);
    expect(access(true, ['rule-1']).allowedTenants(userPrincipal('dave'))).toEqual(['c']);
    expect(access(true, [], ['auditor']).allowedTenants(userPrincipal('dave'))).toEqual(['b']);
    expect(access(true, ['rule-1'], ['auditor']).allowedTenants(userPrincipal('alice'))).toEqual(['a', 'b', 'c']);
  });

  it('lets the administrator, anonymous callers and the node itself use every tenant', () => {
    expect(access().allowedTenants(userPrincipal('admin'))).toBe('all');
    expect(access().allowedTenants({ kind: 'client', id: 'admin', groups: [] })).toEqual([]);
    expect(access().allowedTenants(ANONYMOUS)).toBe('all');
    expect(access().allowedTenants(undefined)).toBe('all');
  });

  it('refuses with UNAVAILABLE while the tenants are not loaded', () => {
    expect(() => access(false).allowedTenants(userPrincipal('alice'))).toThrow(ZenError);
    expect(() => access(false).allowedTenants(userPrincipal('alice'))).toThrow(/not loaded the tenants/);
  });
});

describe('ZenNode.forCaller', () => {
  it('hands the caller to the tenant-aware operations (the caller is their last parameter)', () => {
    // Each wrapped method takes the caller right after its ZenApi parameters: a signature change shows here.
    const arity: Record<string, number> = {
      deploy: 1, createProcessInstance: 1, createProcessInstanceWithResult: 1, activateJobs: 2, openJobStream: 2, publishMessage: 1, correlateMessage: 1,
      broadcastSignal: 1, evaluateConditionals: 1, evaluateDecision: 1, getUserTask: 1, getUserTaskForm: 1, searchHistory: 2, getProcessInstance: 1, createBatchOperation: 1,
    };
    for (const [name, before] of Object.entries(arity)) {
      expect((ZenNode.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!.length, name).toBe(before + 1);
    }
  });

  it('refuses a tenant the caller may not use, naming it, and lets the node itself use any', async () => {
    const node = new ZenNode({ nodeId: 0, advertisedHost: '127.0.0.1', grpcPort: () => 0, version: 'test' }, 1, pino({ level: 'silent' }), undefined, {
      multiTenancy: true,
      access: { allowedTenants: (p) => (p === undefined ? 'all' : ['a']) },
    });
    const alice = node.forCaller(userPrincipal('alice'));
    const publish = { name: 'm', correlationKey: 'k', timeToLiveMs: 0, messageId: '', variables: {}, tenantId: 'b' };
    await expect(alice.publishMessage(publish)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining("'b'") });
    await expect(alice.activateJobs({ type: 't', worker: 'w', timeoutMs: 1000, maxJobsToActivate: 1, fetchVariables: [], requestTimeoutMs: 0, tenantIds: ['a', 'b'] } as never, new AbortController().signal)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: "Expected to activate job batch for tenants '[a, b]', but user is not authorized. Authorized tenants are '[a]'",
    });
    // Not refused for its tenant: it fails later, for want of partitions in this bare node.
    await expect(node.publishMessage(publish)).rejects.not.toMatchObject({ code: 'FORBIDDEN' });
    expect(alice.topology).toBeTypeOf('function');
  });
});
