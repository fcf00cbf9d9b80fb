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
import { collectPages, type SearchAnswer } from '../lib/cursor-pages';
import { EVERYTHING, fromAuthorizations, GRANTS_PAGE_SIZE, needs, type Authorization, type Grant, type Permissions } from './grants';

export { EVERYTHING, fromAuthorizations, type Grant, type Permissions } from './grants';

const unknown = (resourceType: string, permission: string): Grant => ({
  ok: false,
  known: false,
  reason: `${needs(resourceType, permission)}. The console cannot tell whether you hold it: reading your authorizations needs AUTHORIZATION READ.`,
});

const UNKNOWN: Permissions = { can: unknown, canAny: unknown, signature: 'unknown' };

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
