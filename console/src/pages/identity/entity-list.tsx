/** One identity list (users, groups, roles, tenants): filter, table, create form, delete, members. */
import { useState } from 'preact/hooks';
import { useLive } from '../../lib/live';
import { Permitted } from '../../shell/permitted';
import { ErrorNotice, Loading } from '../../shell/page';
import { TableWrap } from '../../shell/table-wrap';
import { CreateForm } from './create-form';
import { createEntity, deleteEntity, matching, searchAll, IDENTITY_PAGE_LIMIT } from './data';
import type { Kind } from './kinds';
import { Members } from './members';

export function EntityList({ kind }: { readonly kind: Kind }) {
  const rows = useLive((signal) => searchAll(kind.path, signal), [kind.path]);
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const shown = rows.data ? matching(rows.data, kind.columns.map((c) => c.name), filter) : undefined;

  const remove = async (id: string) => {
    if (!confirm(`Delete the ${kind.singular} ${id}?`)) return;
    setActionError(null);
    try {
      await deleteEntity(kind, id);
      if (open === id) setOpen(null);
      rows.refresh();
    } catch (err) {
      setActionError(err as Error);
    }
  };

  return (
    <>
      <Permitted resourceType={kind.resourceType} permission="CREATE" what={`Creating a ${kind.singular}`}>
        <CreateForm
          id={`create-${kind.singular}`}
          legend={`New ${kind.singular}`}
          fields={kind.create}
          submitLabel={`Create ${kind.singular}`}
          onSubmit={async (values) => {
            await createEntity(kind, values);
            rows.refresh();
          }}
        />
      </Permitted>
      <h2>{kind.title}</h2>
      <div class="field filter">
        <label for={`filter-${kind.tab}`}>Filter {kind.title.toLowerCase()}</label>
        <input id={`filter-${kind.tab}`} type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </div>
      {rows.error ? <ErrorNotice error={rows.error} what={`The ${kind.title.toLowerCase()} cannot be shown.`} /> : null}
      {actionError ? <ErrorNotice error={actionError} what="The deletion was refused." /> : null}
      {!rows.data && !rows.error ? <Loading what={kind.title.toLowerCase()} /> : null}
      {shown && shown.length === 0 ? <p class="empty">{filter ? `No ${kind.singular} matches the filter.` : `No ${kind.singular} yet.`}</p> : null}
      {shown && shown.length > 0 ? (
        <TableWrap label={kind.title}>
          <table class="data-table">
            <thead>
              <tr>
                {kind.columns.map((c) => (
                  <th scope="col" key={c.name}>
                    {c.label}
                  </th>
                ))}
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => {
                const id = String(row[kind.idField]);
                return (
                  <tr key={id}>
                    {kind.columns.map((c) => (
                      <td key={c.name}>{c.name === kind.idField ? <code>{id}</code> : String(row[c.name] ?? '')}</td>
                    ))}
                    <td class="actions">
                      {kind.members.length > 0 ? (
                        <button type="button" aria-expanded={open === id} onClick={() => setOpen(open === id ? null : id)}>
                          Members<span class="visually-hidden"> of {id}</span>
                        </button>
                      ) : null}
                      <DeleteButton kind={kind} id={id} onDelete={remove} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {rows.data && rows.data.length >= IDENTITY_PAGE_LIMIT ? <p class="notice">Showing the first {IDENTITY_PAGE_LIMIT}.</p> : null}
      {open ? <Members kind={kind} id={open} /> : null}
    </>
  );
}

function DeleteButton({ kind, id, onDelete }: { readonly kind: Kind; readonly id: string; readonly onDelete: (id: string) => void }) {
  return (
    <Permitted resourceType={kind.resourceType} permission="DELETE" resourceId={id} what="Deleting" compact>
      <button type="button" class="danger" onClick={() => onDelete(id)}>
        Delete<span class="visually-hidden"> {kind.singular} {id}</span>
      </button>
    </Permitted>
  );
}
