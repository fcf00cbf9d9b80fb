/**
 * `/v2/tenants` behind the REST routes: fields checked before anything is sent, the directory
 * showing this node's own change at once (and the default tenant before any load), searches
 * over the copy, and TENANT permissions under `--authorizations`.
 */
import { describe, expect, it } from 'vitest';
import type { TenantCommandResult } from '../../../src/engine/processors/commands/tenant.js';
import type { UsersView } from '../../../src/engine/read-views.js';
import type { TenantValue } from '../../../src/engine/records.js';
import { defaultTenantRow, NO_MEMBERS, type TenantRow, withMember } from '../../../src/engine/state/tenant-rows.js';
import { Access } from '../../../src/security/authorization/access.js';
import { AuthorizationGuard } from '../../../src/security/authorization/guard.js';
import { userPrincipal } from '../../../src/node/principal.js';
import { type TenantIntent, TenantService } from '../../../src/security/tenants/tenant-service.js';
import { UserDirectory } from '../../../src/security/users/user-directory.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** Partition 1 as far as tenants go: applies each command to its rows and answers as the engine does. */
class FakePartitionOne {
  sent: Array<[TenantIntent, TenantValue]> = [];
  rows = new Map<string, TenantRow>([['<default>', defaultTenantRow()]]);
  version = 0;

  async submitTenantCommand(intent: TenantIntent, value: TenantValue): Promise<TenantCommandResult> {
    this.sent.push([intent, value]);
    let row = this.rows.get(value.tenantId) ?? { tenantKey: 7n, tenantId: value.tenantId, name: value.name, description: value.description, members: NO_MEMBERS };
    if (intent === 'ADD_ENTITY' || intent === 'REMOVE_ENTITY') row = withMember(row, value.entityType as 'USER', value.entityId, intent === 'ADD_ENTITY');
    if (intent === 'DELETE') this.rows.delete(row.tenantId);
    else this.rows.set(row.tenantId, row);
    return { tenant: row, identityVersion: ++this.version };
  }

  async readUsers(since: number): Promise<UsersView> {
    return since === this.version ? { version: since, changed: false } : { version: this.version, changed: true, users: [], tenants: [...this.rows.values()] };
  }
}

function setup() {
  const partition = new FakePartitionOne();
  const directory = new UserDirectory(partition, { logger: new RecordingLogger() });
  return { partition, directory, service: new TenantService(partition, directory) };
}

describe('TenantService', () => {
  it('checks fields before sending anything: id, name, member ids', async () => {
    const { partition, service } = setup();
    await expect(service.create({ tenantId: 'a b', name: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('illegal characters') });
    await expect(service.create({ tenantId: 'a', name: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'No name provided' });
    await expect(service.update('a', {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(service.assign('a', 'groups', 'x'.repeat(300))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('256') });
    expect(partition.sent).toEqual([]);
  });

  it("knows the default tenant before loading, shows its own changes at once, and searches members", async () => {
    const { partition, directory, service } = setup();
    expect(directory.getTenant('<default>')).toMatchObject({ name: 'Default' });
    await directory.refresh();
    expect(await service.create({ tenantId: 'a', name: 'A' })).toEqual({ tenantId: 'a', name: 'A', description: '' });
    await service.assign('a', 'users', 'alice');
    await service.assign('a', 'mapping-rules', 'rule-1');
    expect(partition.sent.map(([intent, v]) => [intent, v.entityType, v.entityId])).toEqual([
      ['CREATE', 'UNSPECIFIED', ''],
      ['ADD_ENTITY', 'USER', 'alice'],
      ['ADD_ENTITY', 'MAPPING_RULE', 'rule-1'],
    ]);
    expect(service.searchMembers('a', 'users', { filter: undefined, sort: [], page: { limit: 10 } }).items).toEqual([{ username: 'alice' }]);
    expect(service.searchMembers('a', 'mapping-rules', { filter: undefined, sort: [], page: { limit: 10 } }).items).toEqual([{ mappingRuleId: 'rule-1' }]);
    expect(() => service.searchMembers('a', 'users', { filter: { username: 'x' }, sort: [], page: { limit: 10 } })).toThrow(/takes no filter/);
    expect(service.search({ filter: undefined, sort: [{ field: 'tenantId', order: 'DESC' }], page: { limit: 10 } }).items.map((t) => t.tenantId)).toEqual(['a', '<default>']);
    expect(() => service.get('nope')).toThrow(/none was found/);
    await service.delete('a');
    expect(() => service.get('a')).toThrow(/none was found/);
  });

  it('under --authorizations needs TENANT permissions on the tenant: CREATE, READ, UPDATE for members, DELETE', async () => {
    const { directory, service } = setup();
    await directory.refresh();
    const guard = new AuthorizationGuard(new Access({ directory, adminUser: 'admin' }));
    const carol = guard.tenants(service, userPrincipal('carol'));
    // The guard refuses before the service runs (a throw, which the REST route turns into a 403).
    expect(() => carol.create({ tenantId: 'a', name: 'A' })).toThrow("Insufficient permissions to perform operation 'CREATE' on resource 'TENANT', required resource identifiers are one of '[*, a]'");
    expect(() => carol.search({ filter: undefined, sort: [], page: { limit: 1 } })).toThrow(/'READ' on resource 'TENANT'/);
    expect(() => carol.assign('<default>', 'users', 'carol')).toThrow(/'UPDATE' on resource 'TENANT'.*<default>/);
    const admin = guard.tenants(service, userPrincipal('admin'));
    await admin.create({ tenantId: 'a', name: 'A' });
    await admin.assign('a', 'users', 'carol');
    expect(directory.getTenant('a')!.members.USER).toEqual(['carol']);
  });
});
