/** The /v2 calls of the Identity pages: search, create, delete, members, authorizations. */
import { api, post, seg } from '../../lib/api';
import type { Kind, MemberKind } from './kinds';

export type Row = Record<string, unknown>;

/** The API's page limit: the lists read one page and filter it in the browser. */
export const IDENTITY_PAGE_LIMIT = 1000;

export async function searchAll(path: string, signal?: AbortSignal): Promise<Row[]> {
  const result = await post<{ items: Row[] }>(`${path}/search`, { page: { limit: IDENTITY_PAGE_LIMIT } }, signal);
  return result.items;
}

export const createEntity = (kind: Kind, body: Row) => post<Row>(kind.path, body);

export const deleteEntity = (kind: Kind, id: string) => api<void>('DELETE', `${kind.path}/${seg(id)}`);

export const getEntity = (kind: Kind, id: string, signal?: AbortSignal) => api<Row>('GET', `${kind.path}/${seg(id)}`, { signal });

export const searchMembers = (kind: Kind, id: string, member: MemberKind, signal?: AbortSignal) => searchAll(`${kind.path}/${seg(id)}/${member.segment}`, signal);

export const assignMember = (kind: Kind, id: string, member: MemberKind, memberId: string) => api<void>('PUT', `${kind.path}/${seg(id)}/${member.segment}/${seg(memberId)}`);

export const unassignMember = (kind: Kind, id: string, member: MemberKind, memberId: string) => api<void>('DELETE', `${kind.path}/${seg(id)}/${member.segment}/${seg(memberId)}`);

export interface Authorization {
  readonly authorizationKey: string;
  readonly ownerId: string;
  readonly ownerType: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly permissionTypes: readonly string[];
}

export const searchAuthorizations = (signal?: AbortSignal) => searchAll('/authorizations', signal) as Promise<unknown> as Promise<Authorization[]>;

export const createAuthorization = (body: Omit<Authorization, 'authorizationKey'>) => post<{ authorizationKey: string }>('/authorizations', body);

export const deleteAuthorization = (key: string) => api<void>('DELETE', `/authorizations/${seg(key)}`);

/** Rows whose shown fields contain the text (any case). */
export function matching<T extends object>(rows: readonly T[], fields: readonly string[], text: string): T[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...rows];
  return rows.filter((row) => fields.some((f) => String((row as Row)[f] ?? '').toLowerCase().includes(needle)));
}
