/**
 * What the user may do, as far as the console can tell before trying (ADR 019). Without
 * `--authorizations` (the node says so in /ui/config.json) every signed-in user may do
 * everything; members of the built-in `admin` role (GET /v2/authentication/me lists roles) too.
 * Otherwise the console reads the authorizations the user, its groups and roles own, which
 * needs AUTHORIZATION READ; when the node refuses that, it cannot tell, and says so. Every page of
 * them is read (by cursor), so a grant on the 1,001st row counts too. `canAny` is for the lists
 * the node narrows to what the caller may read (processes, decisions, tasks): one grant on any id
 * lets the list through, none at all would make it empty for a reason the user should be told.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleConfig } from './config';
import type { CurrentUser } from './current-user';
import { fetchApi } from '../lib/api';
import { collectPages, type SearchAnswer } from '../lib/paging';

export type Grant = { readonly ok: true } | { readonly ok: false; readonly known: boolean; readonly reason: string };

export interface Permissions {
  can(resourceType: string, permission: string, resourceId?: string): Grant;
  /** Held on at least one resource id (or `*`). */
  canAny(resourceType: string, permission: string): Grant;
}

interface Authorization {
  readonly ownerId: string;
  readonly ownerType: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly permissionTypes: readonly string[];
}

const OK: Grant = { ok: true };

export const EVERYTHING: Permissions = { can: () => OK, canAny: () => OK };

/** Authorizations read per request while collecting the user's grants. */
export const GRANTS_PAGE_SIZE = 1000;

const needs = (resourceType: string, permission: string) => `It needs the ${permission} permission on ${resourceType}`;

export function fromAuthorizations(user: CurrentUser, authorizations: readonly Authorization[]): Permissions {
  const owns = (a: Authorization) =>
    ((a.ownerType === 'USER' || a.ownerType === 'CLIENT') && a.ownerId === user.username) ||
    (a.ownerType === 'GROUP' && (user.groups ?? []).includes(a.ownerId)) ||
    (a.ownerType === 'ROLE' && (user.roles ?? []).includes(a.ownerId));
  const mine = authorizations.filter(owns);
  const holds = (resourceType: string, permission: string, resourceId: string | null) =>
    mine.some((a) => a.resourceType === resourceType && a.permissionTypes.includes(permission) && (resourceId === null || a.resourceId === '*' || a.resourceId === resourceId));
  const missing = (resourceType: string, permission: string): Grant => ({ ok: false, known: true, reason: `${needs(resourceType, permission)}, which you do not hold.` });
  return {
    can: (resourceType, permission, resourceId = '*') => (holds(resourceType, permission, resourceId) ? OK : missing(resourceType, permission)),
    canAny: (resourceType, permission) => (holds(resourceType, permission, null) ? OK : missing(resourceType, permission)),
  };
}

const unknown = (resourceType: string, permission: string): Grant => ({
  ok: false,
  known: false,
  reason: `${needs(resourceType, permission)}. The console cannot tell whether you hold it: reading your authorizations needs AUTHORIZATION READ.`,
});

const UNKNOWN: Permissions = { can: unknown, canAny: unknown };

export async function loadPermissions(user: CurrentUser, config: ConsoleConfig | null, pageSize = GRANTS_PAGE_SIZE): Promise<Permissions> {
  if (!config?.authorizations || user.username === null || (user.roles ?? []).includes('admin')) return EVERYTHING;
  try {
    // The raw client: a refusal here means "cannot tell", not the end of the session.
    const { items } = await collectPages<Authorization>(async (page) => {
      const response = await fetchApi('POST', '/authorizations/search', { body: { page } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as SearchAnswer<Authorization>;
    }, pageSize);
    return fromAuthorizations(user, items);
  } catch {
    return UNKNOWN;
  }
}

export const PermissionsContext = createContext<Permissions>(EVERYTHING);

export const useGrant = (resourceType: string, permission: string, resourceId?: string): Grant => useContext(PermissionsContext).can(resourceType, permission, resourceId);

export const usePermissions = (): Permissions => useContext(PermissionsContext);
