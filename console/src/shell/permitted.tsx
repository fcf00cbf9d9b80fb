/**
 * An action the user may lack the permission for: shown when they hold it, replaced by the
 * reason when they do not. When the console cannot tell, the reason comes with a way to try
 * anyway (the node then decides, and a refusal shows as any error does). `compact`, for a
 * button in a table row: nothing when the permission is known to be missing, the button when
 * unknown (a row of notices would bury the table).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useGrant } from '../auth/permissions';

export function Permitted({ resourceType, permission, resourceId, what, compact, children }: { readonly resourceType: string; readonly permission: string; readonly resourceId?: string; readonly what: string; readonly compact?: boolean; readonly children: ComponentChildren }) {
  const grant = useGrant(resourceType, permission, resourceId);
  const [tryAnyway, setTryAnyway] = useState(false);
  if (grant.ok || tryAnyway || (compact && !grant.known)) return <>{children}</>;
  if (compact) return null;
  return (
    <div class="notice not-permitted">
      <p>
        {what} is not offered. {grant.reason}
      </p>
      {grant.known ? null : (
        <button type="button" onClick={() => setTryAnyway(true)}>
          Show it anyway
        </button>
      )}
    </div>
  );
}
