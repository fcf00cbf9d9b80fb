import { describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { searchUsers, type UserSearchRequest } from '../../../src/security/users/user-search.js';

const USERS = [
  { username: 'ann', name: 'Ann Lee', email: 'ann@example.com' },
  { username: 'bob', name: 'Bob', email: '' },
  { username: 'cid', name: 'Cid Lee', email: 'cid@example.org' },
  { username: 'dee', name: 'Dee', email: 'dee@example.com' },
];

const search = (request: Partial<UserSearchRequest>) => searchUsers(USERS, { filter: {}, sort: [], page: { limit: 100 }, ...request });
const names = (page: ReturnType<typeof searchUsers>) => page.items.map((i) => i.username);

describe('searchUsers', () => {
  it('filters by value and by operators', () => {
    expect(names(search({ filter: { username: 'bob' } }))).toEqual(['bob']);
    expect(names(search({ filter: { name: { $like: '* lee' } } }))).toEqual(['ann', 'cid']);
    expect(names(search({ filter: { email: { $exists: false } } }))).toEqual(['bob']);
    expect(names(search({ filter: { username: { $in: ['dee', 'ann', 'zed'] } } }))).toEqual(['ann', 'dee']);
    expect(names(search({ filter: { username: { $notIn: ['ann'] }, email: { $like: '*.com' } } }))).toEqual(['dee']);
    expect(names(search({ filter: { name: { $neq: 'Bob' }, email: { $eq: 'cid@example.org' } } }))).toEqual(['cid']);
    expect(search({ filter: { name: { $like: '*Lee' } } }).page.totalItems).toBe(2);
  });

  it('sorts by any field, username breaking ties', () => {
    expect(names(search({ sort: [{ field: 'email', order: 'DESC' }] }))).toEqual(['dee', 'cid', 'ann', 'bob']);
    expect(names(search({ sort: [{ field: 'name', order: 'ASC' }] }))).toEqual(['ann', 'bob', 'cid', 'dee']);
  });

  it('pages by offset and by the cursors it returned', () => {
    const first = search({ page: { limit: 2 } });
    expect(names(first)).toEqual(['ann', 'bob']);
    expect(first.page.totalItems).toBe(4);
    const next = search({ page: { limit: 2, after: first.page.endCursor! } });
    expect(names(next)).toEqual(['cid', 'dee']);
    expect(names(search({ page: { limit: 1, before: next.page.startCursor! } }))).toEqual(['bob']);
    expect(names(search({ page: { limit: 2, from: 3 } }))).toEqual(['dee']);
  });

  it('refuses unknown fields, operators and malformed values with INVALID_ARGUMENT', () => {
    const bad = (request: Partial<UserSearchRequest>) => {
      try {
        search(request);
      } catch (err) {
        expect(err).toBeInstanceOf(ZenError);
        return (err as ZenError).message;
      }
      return expect.fail('expected the search to be refused');
    };
    expect(bad({ filter: { password: 'x' } })).toBe("Unknown filter field 'password' for user; known: username, name, email");
    expect(bad({ filter: { name: { $gt: 'a' } } })).toContain("Unknown operator '$gt'");
    expect(bad({ filter: { name: 42 } })).toContain("Filter field 'name' expects a string");
    expect(bad({ sort: [{ field: 'userKey', order: 'ASC' }] })).toContain("Unknown sort field 'userKey'");
    expect(bad({ page: { limit: 1, after: 'garbage' } })).toContain('cursor');
  });
});
