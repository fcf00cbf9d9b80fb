/**
 * GET /v2/backups, Zen's read-only extension for the console: the backup store's list as the
 * management port gives it, `configured: false` without a store, and SYSTEM READ under
 * --authorizations (checked before the store is read, and before saying whether there is one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RestServerOptions } from '../../../src/api/rest/types.js';
import type { BackupStatusView } from '../../../src/backup/backup-service.js';
import { ZenError } from '../../../src/errors.js';
import { userPrincipal } from '../../../src/node/principal.js';
import { AuthGate } from '../../../src/security/auth-gate.js';
import { Access } from '../../../src/security/authorization/access.js';
import type { Grant } from '../../../src/security/authorization/evaluator.js';
import { AuthorizationGuard } from '../../../src/security/authorization/guard.js';
import type { Authenticator } from '../../../src/security/authenticator.js';
import { FailureThrottle } from '../../../src/security/failure-throttle.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const BACKUP: BackupStatusView = {
  backupId: 7,
  state: 'FAILED',
  failureReason: 'partition 2: disk full',
  details: [
    { partitionId: 1, state: 'COMPLETED', createdAt: '2026-12-07T00:00:00.000Z', lastUpdatedAt: '2026-12-07T00:00:01.000Z', checkpointPosition: 42, brokerId: 0, brokerVersion: '0.1.0' },
    { partitionId: 2, state: 'FAILED', failureReason: 'disk full', createdAt: '2026-12-07T00:00:00.000Z', lastUpdatedAt: '2026-12-07T00:00:02.000Z', checkpointPosition: 9, brokerId: 1, brokerVersion: '0.1.0' },
  ],
};

/** A store that counts its reads. */
function store(items: BackupStatusView[]) {
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    async list() {
      reads++;
      return items;
    },
  };
}

describe('GET /v2/backups', () => {
  it('lists the backups of the store as the management port does', async () => {
    const backups = store([BACKUP]);
    const { server } = harness({ backups });
    const res = await server.app.inject({ method: 'GET', url: '/v2/backups' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ configured: true, items: [BACKUP] });
    expect(backups.reads).toBe(1);
  });

  it('answers an empty list for a store without backups', async () => {
    const { server } = harness({ backups: store([]) });
    expect((await server.app.inject({ method: 'GET', url: '/v2/backups' })).json()).toEqual({ configured: true, items: [] });
  });

  it('says when the node has no backup store', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: '/v2/backups' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ configured: false, items: [] });
  });

  it('turns a failing store into a problem', async () => {
    const { server } = harness({ backups: { list: () => Promise.reject(new ZenError('UNAVAILABLE', 'The backup bucket did not answer')) } });
    const res = await server.app.inject({ method: 'GET', url: '/v2/backups' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ title: 'UNAVAILABLE', detail: 'The backup bucket did not answer' });
  });

  it('is described in the OpenAPI document', async () => {
    const { server } = harness();
    const document = (await server.app.inject({ method: 'GET', url: '/v2/openapi.json' })).json();
    expect(document.paths['/backups'].get.operationId).toBe('listBackups');
    expect(document.paths['/backups'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/BackupListResult' });
    expect(document.components.schemas.BackupInfo.required).toEqual(['backupId', 'state', 'details']);
  });
});

describe('GET /v2/backups under --authorizations', () => {
  /** `Basic <name>` signs in as that user; only `reader` holds SYSTEM READ. */
  const authenticator: Authenticator = {
    async authenticate(header) {
      if (header?.startsWith('Basic ')) return userPrincipal(header.slice(6));
      throw new ZenError('UNAUTHENTICATED', 'This node requires authentication');
    },
  };
  const grants: Grant[] = [
    { ownerType: 'USER', ownerId: 'reader', resourceType: 'SYSTEM', resourceId: '*', permissionTypes: ['READ'] },
    { ownerType: 'USER', ownerId: 'clocker', resourceType: 'SYSTEM', resourceId: '*', permissionTypes: ['UPDATE'] },
  ];
  const directory = { loaded: true, allAuthorizations: () => grants, allGroups: () => [], allRoles: () => [], allMappingRules: () => [] };
  const secured = (backups: RestServerOptions['backups']) =>
    harness({
      authentication: new AuthGate('basic', authenticator, new FailureThrottle(), async () => {}),
      guard: new AuthorizationGuard(new Access({ directory, adminUser: 'root' })),
      backups,
    });
  const as = (user: string) => ({ authorization: `Basic ${user}` });

  it('asks for credentials first', async () => {
    const { server } = secured(store([BACKUP]));
    expect((await server.app.inject({ method: 'GET', url: '/v2/backups' })).statusCode).toBe(401);
  });

  it('refuses a caller without SYSTEM READ, before reading the store', async () => {
    const backups = store([BACKUP]);
    const { server } = secured(backups);
    for (const user of ['nobody', 'clocker']) {
      const res = await server.app.inject({ method: 'GET', url: '/v2/backups', headers: as(user) });
      expect(res.statusCode, user).toBe(403);
      expect(res.json().detail).toContain("'READ' on resource 'SYSTEM'");
    }
    expect(backups.reads).toBe(0);
  });

  it('refuses the same caller on a node without a store: whether there is one is not theirs to learn', async () => {
    const { server } = secured(null);
    expect((await server.app.inject({ method: 'GET', url: '/v2/backups', headers: as('nobody') })).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'GET', url: '/v2/backups', headers: as('reader') })).json()).toEqual({ configured: false, items: [] });
  });

  it('lists the backups for a caller with SYSTEM READ and for the administrator', async () => {
    const { server } = secured(store([BACKUP]));
    for (const user of ['reader', 'root']) {
      const res = await server.app.inject({ method: 'GET', url: '/v2/backups', headers: as(user) });
      expect(res.statusCode, user).toBe(200);
      expect(res.json().items.map((b: BackupStatusView) => b.backupId)).toEqual([7]);
    }
  });
});
