/**
 * What the user may do, as far as the console can tell before trying (ADR 019). Without
 * `--authorizations` (the node says so in /ui/config.json) every signed-in user may do
 * everything; members of the built-in `admin` role (GET /v2/authentication/me lists roles) too.
 * Otherwise the console reads the authorizations the user, its groups and roles own, which
 * needs AUTHORIZATION READ; when the node refuses that, it cannot tell, and says so. Reads need
 * no foreknowledge: their 403 is shown where the data would be.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleConfig } from './config';
import type { CurrentUser } from './current-user';
import { fetchApi } from '../lib/api';

export type Grant = { readonly ok: true } | { readonly ok: false; readonly known: boolean; readonly reason: string };

export interface Permissions {
  can(resourceType: string, permission: string, resourceId?: string): Grant;
}

interface Authorization {
  readonly ownerId: string;
  readonly ownerType: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly permissionTypes: readonly string[];
}

const OK: Grant = { ok: true };

export const EVERYTHING: Permissions = { can: () => OK };

const needs = (resourceType: string, permission: string) => `It needs the ${permission} permission on ${resourceType}`;

export function fromAuthorizations(user: CurrentUser, authorizations: readonly Authorization[]): Permissions {
  const owns = (a: Authorization) =>
    ((a.ownerType === 'USER' || a.ownerType === 'CLIENT') && a.ownerId === user.username) ||
    (a.ownerType === 'GROUP' && (user.groups ?? []).includes(a.ownerId)) ||
    (a.ownerType === 'ROLE' && (user.roles ?? []).includes(a.ownerId));
  const mine = authorizations.filter(owns);
  return {
    can: (resourceType, permission, resourceId = '*') =>
      mine.some((a) => a.resourceType === resourceType && a.permissionTypes.includes(permission) && (a.resourceId === '*' || a.resourceId === resourceId))
        ? OK
        : { ok: false, known: true, reason: `${needs(resourceType, permission)}, which you do not hold.` },
  };
}

const UNKNOWN: Permissions = {
  can: (resourceType, permission) => ({
    ok: false,
    known: false,
    reason: `${needs(resourceType, permission)}. The console cannot tell whether you hold it: reading your authorizations needs AUTHORIZATION READ.`,
  }),
};

export async function loadPermissions(user: CurrentUser, config: ConsoleConfig | null): Promise<Permissions> {
  if (!config?.authorizations || user.username === null || (user.roles ?? []).includes('admin')) return EVERYTHING;
  try {
    const response = await fetchApi('POST', '/authorizations/search', { body: { page: { limit: 1000 } } });
    if (!response.ok) return UNKNOWN;
    const { items } = (await response.json()) as { items: Authorization[] };
    return fromAuthorizations(user, items);
  } catch {
    return UNKNOWN;
  }
}

export const PermissionsContext = createContext<Permissions>(EVERYTHING);

export const useGrant = (resourceType: string, permission: string, resourceId?: string): Grant => useContext(PermissionsContext).can(resourceType, permission, resourceId);
