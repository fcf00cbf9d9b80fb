/**
 * A list the user may lack the permission to read. Where the node refuses, the refusal would show
 * anyway; but the node narrows searches of processes, instances, tasks and decisions to the ids
 * the caller may read, so without any grant the list comes back empty, which reads as "nothing
 * deployed". `narrowed`: one grant on any id lets the list through (noting that it may be partial
 * when the grant is not on every id); else the permission must be held on every id (`*`).
 * When the console cannot tell, the list is tried and the node decides.
 */
import type { ComponentChildren } from 'preact';
import { usePermissions } from '../auth/permissions';

interface Props {
  readonly resourceType: string;
  readonly permission: string;
  /** A resource id the read is about (a group's members: the group's id). */
  readonly resourceId?: string;
  /** What is not shown, as a sentence's subject: "The decisions". */
  readonly what: string;
  readonly narrowed?: boolean;
  readonly children: ComponentChildren;
}

/** The notice in place of the list when the permission is known to be missing, else null. */
export function useReadRefusal(resourceType: string, permission: string, what: string, narrowed = false, resourceId?: string) {
  const permissions = usePermissions();
  const grant = narrowed ? permissions.canAny(resourceType, permission) : permissions.can(resourceType, permission, resourceId);
  if (grant.ok || !grant.known) return null;
  return (
    <div class="notice not-permitted" role="status">
      <p>
        {what} are not shown. {grant.reason}
      </p>
    </div>
  );
}

export function Readable({ resourceType, permission, resourceId, what, narrowed, children }: Props) {
  const permissions = usePermissions();
  const refusal = useReadRefusal(resourceType, permission, what, narrowed, resourceId);
  if (refusal) return refusal;
  const partial = narrowed && permissions.canAny(resourceType, permission).ok && !permissions.can(resourceType, permission).ok;
  return (
    <>
      {partial ? <p class="notice partial-read">{what} are shown only as far as your authorizations name them.</p> : null}
      {children}
    </>
  );
}
