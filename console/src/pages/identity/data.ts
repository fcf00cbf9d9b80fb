/** The /v2 calls of the Identity pages: search, create, update, delete, members, authorizations. */
import { api, post, seg } from '../../lib/api';
import { searchPages, type Paged } from '../../lib/paged-search';
import type { Kind, MemberKind } from './kinds';

export type Row = Record<string, unknown>;

/** Member lists, and a list being filtered: every row, in pages of this many. */
const ALL_PAGE_SIZE = 1000;

/** The first `want` rows of a list, pages of `pageSize` read by the API's cursor. */
export const searchSome = <T = Row>(path: string, want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<T>> => searchPages<T>(`${path}/search`, {}, want, pageSize, signal);

/** Every row of a list, page after page. */
export const searchEvery = <T = Row>(path: string, signal?: AbortSignal): Promise<Paged<T>> => searchPages<T>(`${path}/search`, {}, Infinity, ALL_PAGE_SIZE, signal);

export const createEntity = (kind: Kind, body: Row) => post<Row>(kind.path, body);

export const updateEntity = (kind: Kind, id: string, body: Row) => api<Row>('PUT', `${kind.path}/${seg(id)}`, { body });

export const deleteEntity = (kind: Kind, id: string) => api<void>('DELETE', `${kind.path}/${seg(id)}`);

export const getEntity = (kind: Kind, id: string, signal?: AbortSignal) => api<Row>('GET', `${kind.path}/${seg(id)}`, { signal });

export const searchMembers = async (kind: Kind, id: string, member: MemberKind, signal?: AbortSignal) =>
  (await searchEvery(`${kind.path}/${seg(id)}/${member.segment}`, signal)).items;

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


export const createAuthorization = (body: Omit<Authorization, 'authorizationKey'>) => post<{ authorizationKey: string }>('/authorizations', body);

export const deleteAuthorization = (key: string) => api<void>('DELETE', `/authorizations/${seg(key)}`);

/** Rows whose shown fields contain the text (any case). */
export function matching<T extends object>(rows: readonly T[], fields: readonly string[], text: string): T[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...rows];
  return rows.filter((row) => fields.some((f) => String((row as Row)[f] ?? '').toLowerCase().includes(needle)));
}
