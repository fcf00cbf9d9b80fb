/**
 * /v2/backups, Zen's extension for the console: GET lists the backup store's backups as the
 * management port does (`configured: false` without a store), POST takes one; under
 * --authorizations SYSTEM READ and SYSTEM UPDATE, checked before the store is asked, and before
 * saying whether there is one.
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

/** A backup service that counts its reads and records requests, refusing ids that do not grow, as BackupService does. */
function store(items: BackupStatusView[]) {
  let reads = 0;
  const requested: number[] = [];
  return {
    requested,
    get reads() {
      return reads;
    },
    async list() {
      reads++;
      return items;
    },
    async create(backupId: number) {
      const last = Math.max(0, ...requested, ...items.map((b) => b.backupId));
      if (backupId <= last) throw new ZenError('FAILED_PRECONDITION', `Backup id ${backupId} must be greater than the last requested backup id ${last}`);
      requested.push(backupId);
    },
  };
}

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

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
    const { server } = harness({ backups: { ...store([]), list: () => Promise.reject(new ZenError('UNAVAILABLE', 'The backup bucket did not answer')) } });
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
    expect(document.paths['/backups'].post.operationId).toBe('createBackup');
    expect(Object.keys(document.paths['/backups'].post.responses)).toContain('202');
  });
});

describe('POST /v2/backups', () => {
  it('requests a backup with the id and answers 202', async () => {
    const backups = store([BACKUP]);
    const { server } = harness({ backups });
    const res = await server.app.inject({ method: 'POST', url: '/v2/backups', ...json({ backupId: 8 }) });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ backupId: 8 });
    expect(backups.requested).toEqual([8]);
  });

  it.each([
    ['zero', { backupId: 0 }],
    ['a string', { backupId: '9' }],
    ['a fraction', { backupId: 1.5 }],
    ['missing', {}],
  ])('refuses an id that is %s with 400', async (_what, body) => {
    const backups = store([]);
    const { server } = harness({ backups });
    const res = await server.app.inject({ method: 'POST', url: '/v2/backups', ...json(body) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ title: 'INVALID_ARGUMENT' });
    expect(res.json().detail).toContain('backupId');
    expect(backups.requested).toEqual([]);
  });

  it('passes on the refusal of an id that does not grow, naming the last', async () => {
    const { server } = harness({ backups: store([BACKUP]) });
    const res = await server.app.inject({ method: 'POST', url: '/v2/backups', ...json({ backupId: 7 }) });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toBe('Backup id 7 must be greater than the last requested backup id 7');
  });

  it('says how to configure a store when there is none', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/backups', ...json({ backupId: 1 }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('Backups are not configured on this node');
  });
});

describe('/v2/backups under --authorizations', () => {
  /** `Basic <name>` signs in as that user; `reader` holds SYSTEM READ, `clocker` SYSTEM UPDATE. */
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

  it('takes a backup only for a caller with SYSTEM UPDATE', async () => {
    const backups = store([]);
    const { server } = secured(backups);
    const refused = await server.app.inject({ method: 'POST', url: '/v2/backups', payload: JSON.stringify({ backupId: 1 }), headers: { ...as('reader'), 'content-type': 'application/json' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain("'UPDATE' on resource 'SYSTEM'");
    expect(backups.requested).toEqual([]);
    const taken = await server.app.inject({ method: 'POST', url: '/v2/backups', headers: { ...as('clocker'), 'content-type': 'application/json' }, payload: JSON.stringify({ backupId: 2 }) });
    expect(taken.statusCode).toBe(202);
    expect(backups.requested).toEqual([2]);
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
