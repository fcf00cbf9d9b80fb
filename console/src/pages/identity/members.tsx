/** The members of a group, role or tenant, by kind: listed, added by id, removed. */
import { useLive } from '../../lib/live';
import { Permitted } from '../../shell/permitted';
import { Readable } from '../../shell/readable';
import { ErrorNotice, Loading } from '../../shell/page';
import { useState } from 'preact/hooks';
import { assignMember, searchMembers, unassignMember } from './data';
import type { Kind, MemberKind } from './kinds';

export function Members({ kind, id }: { readonly kind: Kind; readonly id: string }) {
  return (
    <section class="members" aria-labelledby="members-title">
      <h2 id="members-title">
        Members of {kind.singular} <code>{id}</code>
      </h2>
      <Readable resourceType={kind.resourceType} permission="READ" resourceId={id} what="The members">
        {kind.members.map((member) => (
          <MemberList key={`${id}/${member.segment}`} kind={kind} id={id} member={member} />
        ))}
      </Readable>
    </section>
  );
}

function MemberList({ kind, id, member }: { readonly kind: Kind; readonly id: string; readonly member: MemberKind }) {
  const list = useLive((signal) => searchMembers(kind, id, member, signal), [kind.path, id, member.segment]);
  const [adding, setAdding] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const inputId = `add-${member.segment}-${kind.singular}`;
  const noun = member.label.toLowerCase().replace(/s$/, '');

  const act = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
      list.refresh();
    } catch (err) {
      setError(err as Error);
    }
  };

  return (
    <div class="member-list">
      <h3>{member.label}</h3>
      {list.error ? <ErrorNotice error={list.error} what={`The ${member.label.toLowerCase()} cannot be shown.`} /> : null}
      {!list.data && !list.error ? <Loading what={member.label.toLowerCase()} /> : null}
      {list.data && list.data.length === 0 ? <p class="empty">No {noun} is a member.</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul aria-label={`${member.label} of ${id}`}>
          {list.data.map((row) => {
            const memberId = String(row[member.idField]);
            return (
              <li key={memberId}>
                <code>{memberId}</code>{' '}
                <Permitted resourceType={kind.resourceType} permission="UPDATE" resourceId={id} what="Removing" compact>
                  <button type="button" onClick={() => void act(() => unassignMember(kind, id, member, memberId))}>
                    Remove<span class="visually-hidden"> {memberId}</span>
                  </button>
                </Permitted>
              </li>
            );
          })}
        </ul>
      ) : null}
      <Permitted resourceType={kind.resourceType} permission="UPDATE" resourceId={id} what={`Adding a ${noun}`}>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const memberId = adding.trim();
            if (memberId) void act(async () => {
              await assignMember(kind, id, member, memberId);
              setAdding('');
            });
          }}
        >
          <label for={inputId}>Add a {noun} by id</label>
          <input id={inputId} required value={adding} onInput={(e) => setAdding(e.currentTarget.value)} />
          <button type="submit">Add {noun}</button>
        </form>
      </Permitted>
      {error ? <ErrorNotice error={error} what="The change was refused." /> : null}
    </div>
  );
}
