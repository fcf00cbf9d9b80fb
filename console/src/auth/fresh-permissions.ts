/**
 * The signed-in user's permissions kept current: read again on each navigation and every 30 s
 * while the tab is visible, so a grant given (or taken) meanwhile counts without a reload. A
 * re-read that changed nothing keeps the value it had, so nothing re-renders.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AuthState } from './detect';
import { EVERYTHING, loadPermissions, type Permissions } from './permissions';

export const PERMISSIONS_REFRESH_MS = 30_000;

export function useFreshPermissions(auth: AuthState, path: string): Permissions {
  const [fresh, setFresh] = useState<{ readonly of: AuthState; readonly permissions: Permissions } | null>(null);
  const seen = useRef<{ auth: AuthState | null; path: string }>({ auth: null, path });

  useEffect(() => {
    if (auth.status !== 'signed-in') return;
    let stopped = false;
    const reload = () => {
      if (document.visibilityState !== 'visible') return;
      void loadPermissions(auth.user, auth.config).then((permissions) => {
        if (stopped) return;
        setFresh((prev) => {
          const current = prev?.of === auth ? prev.permissions : auth.permissions;
          return permissions.signature === current.signature ? prev : { of: auth, permissions };
        });
      });
    };
    // Sign-in has just read them; a navigation after it reads them again.
    if (seen.current.auth === auth && seen.current.path !== path) reload();
    seen.current = { auth, path };
    const timer = setInterval(reload, PERMISSIONS_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [auth, path]);

  if (auth.status !== 'signed-in') return EVERYTHING;
  return fresh?.of === auth ? fresh.permissions : auth.permissions;
}
