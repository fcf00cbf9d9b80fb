/** /ui/identity/authorizations: who may do what on which resources; create and delete. */
import { useState } from 'preact/hooks';
import { OWNER_TYPES, RESOURCE_PERMISSIONS, type ResourceType } from '../../../../src/engine/identity/authorization-rules';
import { Permitted } from '../../shell/permitted';
import { ErrorNotice, Loading } from '../../shell/page';
import { Readable } from '../../shell/readable';
import { ShowMore } from '../../shell/show-more';
import { TableWrap } from '../../shell/table-wrap';
import { createAuthorization, deleteAuthorization, matching, type Authorization } from './data';
import { usePagedRows } from './paged-rows';

const RESOURCE_TYPES = Object.keys(RESOURCE_PERMISSIONS) as ResourceType[];

export function AuthorizationsList() {
  // Bumped by a creation: the list reloads at once rather than at its next poll.
  const [created, setCreated] = useState(0);
  return (
    <>
      <Permitted resourceType="AUTHORIZATION" permission="CREATE" what="Creating an authorization">
        <AuthorizationForm onCreated={() => setCreated((n) => n + 1)} />
      </Permitted>
      <h2>Authorizations</h2>
      <Readable resourceType="AUTHORIZATION" permission="READ" what="The authorizations">
        <AuthorizationRows reload={created} />
      </Readable>
    </>
  );
}

function AuthorizationRows({ reload }: { readonly reload: number }) {
  const [filter, setFilter] = useState('');
  const list = usePagedRows<Authorization>('/authorizations', reload, filter.trim() !== '');
  const [actionError, setActionError] = useState<Error | null>(null);
  const shown = list.data ? matching(list.data.items, ['ownerId', 'ownerType', 'resourceType', 'resourceId'], filter) : undefined;

  const remove = async (key: string) => {
    if (!confirm('Delete this authorization?')) return;
    setActionError(null);
    try {
      await deleteAuthorization(key);
      list.refresh();
    } catch (err) {
      setActionError(err as Error);
    }
  };

  return (
    <>
      <div class="field filter">
        <label for="filter-authorizations">Filter authorizations</label>
        <input id="filter-authorizations" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </div>
      {list.error ? <ErrorNotice error={list.error} what="The authorizations cannot be shown." /> : null}
      {actionError ? <ErrorNotice error={actionError} what="The deletion was refused." /> : null}
      {!list.data && !list.error ? <Loading what="authorizations" /> : null}
      {shown && shown.length === 0 ? <p class="empty">{filter ? 'No authorization matches the filter.' : 'No authorization yet.'}</p> : null}
      {shown && shown.length > 0 ? (
        <TableWrap label="Authorizations">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Owner</th>
                <th scope="col">Owner type</th>
                <th scope="col">Resource type</th>
                <th scope="col">Resource id</th>
                <th scope="col">Permissions</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((a) => (
                <tr key={a.authorizationKey}>
                  <td>
                    <code>{a.ownerId}</code>
                  </td>
                  <td>{a.ownerType}</td>
                  <td>{a.resourceType}</td>
                  <td>
                    <code>{a.resourceId}</code>
                  </td>
                  <td>{a.permissionTypes.join(', ')}</td>
                  <td class="actions">
                    <Permitted resourceType="AUTHORIZATION" permission="DELETE" what="Deleting" compact>
                      <button type="button" class="danger" onClick={() => void remove(a.authorizationKey)}>
                        Delete<span class="visually-hidden"> authorization of {a.ownerId} on {a.resourceType} {a.resourceId}</span>
                      </button>
                    </Permitted>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {list.data?.more ? <ShowMore shown={list.data.items.length} total={list.data.total} what="authorizations" step={list.pageSize} onMore={list.more} /> : null}
    </>
  );
}

function AuthorizationForm({ onCreated }: { readonly onCreated: () => void }) {
  const [ownerType, setOwnerType] = useState<string>('USER');
  const [ownerId, setOwnerId] = useState('');
  const [resourceType, setResourceType] = useState<ResourceType>('PROCESS_DEFINITION');
  const [resourceId, setResourceId] = useState('*');
  const [permissions, setPermissions] = useState<readonly string[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createAuthorization({ ownerType, ownerId: ownerId.trim(), resourceType, resourceId: resourceId.trim(), permissionTypes: permissions });
      setOwnerId('');
      setPermissions([]);
      onCreated();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="identity-form" onSubmit={submit}>
      <fieldset>
        <legend>New authorization</legend>
        <div class="field">
          <label for="auth-owner-type">Owner type</label>
          <select id="auth-owner-type" value={ownerType} onChange={(e) => setOwnerType(e.currentTarget.value)}>
            {OWNER_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="auth-owner-id">Owner id</label>
          <input id="auth-owner-id" required value={ownerId} onInput={(e) => setOwnerId(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="auth-resource-type">Resource type</label>
          <select
            id="auth-resource-type"
            value={resourceType}
            onChange={(e) => {
              setResourceType(e.currentTarget.value as ResourceType);
              setPermissions([]);
            }}
          >
            {RESOURCE_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="auth-resource-id">Resource id (* for all)</label>
          <input id="auth-resource-id" required value={resourceId} onInput={(e) => setResourceId(e.currentTarget.value)} />
        </div>
        <fieldset class="permissions">
          <legend>Permissions</legend>
          {RESOURCE_PERMISSIONS[resourceType].map((p) => (
            <label key={p} class="check">
              <input type="checkbox" checked={permissions.includes(p)} onChange={(e) => setPermissions(e.currentTarget.checked ? [...permissions, p] : permissions.filter((x) => x !== p))} /> {p}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary" disabled={busy || permissions.length === 0}>
          Create authorization
        </button>
      </fieldset>
      {error ? <ErrorNotice error={error} what="The authorization was refused." /> : null}
    </form>
  );
}
