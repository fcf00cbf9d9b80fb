/**
 * The console's reading of a user's grants against a real `zen start --authorizations`: pages
 * of the authorization search followed by cursor (console/src/lib/cursor-pages.ts) reach a grant
 * beyond the first page, which one page alone misses; and `want` stops early with the node's
 * total; a grant a mapping rule owns counts as "cannot tell". A page size of 2 stands for the console's 1,000 so that a few rows make several pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromAuthorizations, type Authorization } from '../../console/src/auth/grants.js';
import { collectPages, type SearchAnswer } from '../../console/src/lib/cursor-pages.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

const ADMIN = { username: 'grants-admin', password: 'grants-admin-password-1' };
const PAGER = { username: 'pager', password: 'pager-password-1' };
const basic = (u: { username: string; password: string }) => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;

let server: ZenServer;

async function call(method: string, path: string, who: { username: string; password: string }, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${server.restPort}/v2${path}`, {
    method,
    headers: { authorization: basic(who), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

const grant = async (ownerId: string, resourceId: string, permissionTypes: string[], resourceType = 'PROCESS_DEFINITION') => {
  const r = await call('POST', '/authorizations', ADMIN, { ownerType: 'USER', ownerId, resourceType, resourceId, permissionTypes });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
};

/** One page of the search as the pager, as the console asks for it. */
const pageAsPager = async (page: { limit: number; after?: string }) => {
  const r = await call('POST', '/authorizations/search', PAGER, { page });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json as SearchAnswer<Authorization>;
};

beforeAll(async () => {
  server = await ZenServer.start({ args: ['--auth', 'basic', '--authorizations', '--admin-user', ADMIN.username], env: { ZEN_ADMIN_PASSWORD: ADMIN.password } });
  expect((await call('POST', '/users', ADMIN, PAGER)).status).toBe(201);
  await grant(PAGER.username, '*', ['READ'], 'AUTHORIZATION');
  // Others' grants in between, then the pager's own last: it lands on a later page.
  for (const other of ['ann', 'ben', 'cat', 'dan']) await grant(other, 'orders', ['READ_PROCESS_INSTANCE']);
  await grant(PAGER.username, 'orders', ['UPDATE_USER_TASK']);
}, 60_000);

afterAll(async () => {
  await server?.dispose();
});

showServerOutputOnFailure(() => [server]);

describe("the console's grants, page by page", () => {
  it('reads every page by cursor and sees a grant the first page does not hold', async () => {
    const pages: number[] = [];
    const all = await collectPages(async (page) => {
      const answer = await pageAsPager(page);
      pages.push(answer.items.length);
      return answer;
    }, 2);
    expect(pages.length).toBeGreaterThan(2);
    expect(all.items.length).toBe(all.total);
    expect(new Set(all.items.map((a) => (a as Authorization & { authorizationKey: string }).authorizationKey)).size).toBe(all.items.length);

    const pager = { username: PAGER.username, groups: [], roles: [] };
    expect(fromAuthorizations(pager, all.items).can('PROCESS_DEFINITION', 'UPDATE_USER_TASK', 'orders').ok).toBe(true);
    expect(fromAuthorizations(pager, all.items).can('PROCESS_DEFINITION', 'UPDATE_USER_TASK', 'shipping').ok).toBe(false);
    // What one page alone (the old cap) would have concluded.
    const first = await pageAsPager({ limit: 2 });
    expect(fromAuthorizations(pager, first.items).can('PROCESS_DEFINITION', 'UPDATE_USER_TASK', 'orders').ok).toBe(false);
  });

  it("treats a mapping rule's grant as \"cannot tell\", not as missing", async () => {
    expect((await call('POST', '/mapping-rules', ADMIN, { mappingRuleId: 'sales-staff', name: 'Sales staff', claimName: 'department', claimValue: 'sales' })).status).toBe(201);
    const byRule = { ownerType: 'MAPPING_RULE', ownerId: 'sales-staff', resourceType: 'DECISION_DEFINITION', resourceId: '*', permissionTypes: ['READ_DECISION_DEFINITION'] };
    const created = await call('POST', '/authorizations', ADMIN, byRule);
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const all = await collectPages(pageAsPager, 2);
    const pager = fromAuthorizations({ username: PAGER.username, groups: [], roles: [] }, all.items);
    expect(pager.can('DECISION_DEFINITION', 'READ_DECISION_DEFINITION')).toMatchObject({ ok: false, known: false });
    expect(pager.canAny('DECISION_DEFINITION', 'READ_DECISION_DEFINITION')).toMatchObject({ ok: false, known: false });
    // What no grant of anyone's names stays known to be missing.
    expect(pager.can('DECISION_DEFINITION', 'DELETE_DECISION_INSTANCE')).toMatchObject({ ok: false, known: true });
    expect((await call('DELETE', `/authorizations/${created.json.authorizationKey}`, ADMIN)).status).toBe(204);
  });

  it('stops after the page that reaches `want`, and says more rows exist', async () => {
    const some = await collectPages(pageAsPager, 2, 3);
    // Whole pages only: the second page of 2 reaches 3.
    expect(some.items.length).toBe(4);
    expect(some.total).toBeGreaterThanOrEqual(6);
    expect(some.more).toBe(true);
    const all = await collectPages(pageAsPager, 2);
    expect(all.more).toBe(false);
  });
});
