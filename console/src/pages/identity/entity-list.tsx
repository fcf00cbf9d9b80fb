/** One identity list (users, groups, roles, tenants, mapping rules): filter, table, paging, create, edit, delete, members. */
import { useState } from 'preact/hooks';
import { Permitted } from '../../shell/permitted';
import { ErrorNotice, Loading } from '../../shell/page';
import { Readable } from '../../shell/readable';
import { ShowMore } from '../../shell/show-more';
import { TableWrap } from '../../shell/table-wrap';
import { CreateForm } from './create-form';
import { createEntity, deleteEntity, matching, updateEntity, type Row } from './data';
import type { Kind } from './kinds';
import { Members } from './members';
import { usePagedRows } from './paged-rows';

export function EntityList({ kind }: { readonly kind: Kind }) {
  // Bumped by a creation: the list reloads at once rather than at its next poll.
  const [created, setCreated] = useState(0);
  return (
    <>
      <Permitted resourceType={kind.resourceType} permission="CREATE" what={`Creating a ${kind.singular}`}>
        <CreateForm
          id={`create-${kind.tab}`}
          legend={`New ${kind.singular}`}
          fields={kind.create}
          submitLabel={`Create ${kind.singular}`}
          onSubmit={async (values) => {
            await createEntity(kind, values);
            setCreated((n) => n + 1);
          }}
        />
      </Permitted>
      <h2>{kind.title}</h2>
      <Readable resourceType={kind.resourceType} permission="READ" what={`The ${kind.title.toLowerCase()}`}>
        <Rows kind={kind} reload={created} />
      </Readable>
    </>
  );
}

function Rows({ kind, reload }: { readonly kind: Kind; readonly reload: number }) {
  const [filter, setFilter] = useState('');
  const rows = usePagedRows<Row>(kind.path, reload, filter.trim() !== '');
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<Row | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const shown = rows.data ? matching(rows.data.items, kind.columns.map((c) => c.name), filter) : undefined;
  const noun = kind.title.toLowerCase();
  const idOf = (row: Row) => String(row[kind.idField]);

  const remove = async (id: string) => {
    if (!confirm(`Delete the ${kind.singular} ${id}?`)) return;
    setActionError(null);
    try {
      await deleteEntity(kind, id);
      if (open === id) setOpen(null);
      if (editing && idOf(editing) === id) setEditing(null);
      rows.refresh();
    } catch (err) {
      setActionError(err as Error);
    }
  };

  return (
    <>
      <div class="field filter">
        <label for={`filter-${kind.tab}`}>Filter {noun}</label>
        <input id={`filter-${kind.tab}`} type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </div>
      {rows.error ? <ErrorNotice error={rows.error} what={`The ${noun} cannot be shown.`} /> : null}
      {actionError ? <ErrorNotice error={actionError} what="The deletion was refused." /> : null}
      {!rows.data && !rows.error ? <Loading what={noun} /> : null}
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
                const id = idOf(row);
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
                      <Permitted resourceType={kind.resourceType} permission="UPDATE" resourceId={id} what="Editing" compact>
                        <button type="button" aria-expanded={editing !== null && idOf(editing) === id} onClick={() => setEditing(editing && idOf(editing) === id ? null : row)}>
                          Edit<span class="visually-hidden"> {kind.singular} {id}</span>
                        </button>
                      </Permitted>
                      <Permitted resourceType={kind.resourceType} permission="DELETE" resourceId={id} what="Deleting" compact>
                        <button type="button" class="danger" onClick={() => void remove(id)}>
                          Delete<span class="visually-hidden"> {kind.singular} {id}</span>
                        </button>
                      </Permitted>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {rows.data?.more ? <ShowMore shown={rows.data.items.length} total={rows.data.total} what={noun} step={rows.pageSize} onMore={rows.more} /> : null}
      {editing ? <EditForm key={idOf(editing)} kind={kind} row={editing} onDone={() => { setEditing(null); rows.refresh(); }} /> : null}
      {open ? <Members kind={kind} id={open} /> : null}
    </>
  );
}

function EditForm({ kind, row, onDone }: { readonly kind: Kind; readonly row: Row; readonly onDone: () => void }) {
  const id = String(row[kind.idField]);
  const initial = Object.fromEntries(kind.update.filter((f) => !f.blank).map((f) => [f.name, String(row[f.name] ?? '')]));
  return (
    <section class="edit-entity" aria-label={`Edit ${kind.singular} ${id}`}>
      <CreateForm
        id={`edit-${kind.tab}`}
        legend={`Edit ${kind.singular} ${id}`}
        fields={kind.update}
        initial={initial}
        submitLabel="Save"
        onCancel={onDone}
        focusFirst
        onSubmit={async (values) => {
          await updateEntity(kind, id, values);
          onDone();
        }}
      />
    </section>
  );
}
