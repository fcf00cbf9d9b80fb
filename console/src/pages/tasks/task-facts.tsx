/** What a task is about: its process, instance, element, people and dates. */
import { Link } from '../../shell/link';
import type { UserTask } from './data';

export function TaskFacts({ task: t }: { readonly task: UserTask }) {
  return (
    <dl class="facts">
      <dt>State</dt>
      <dd>
        <span class={`badge task-${t.state.toLowerCase()}`}>{t.state}</span>
      </dd>
      <dt>Process</dt>
      <dd>
        <Link to={`/processes/${t.processDefinitionKey}`}>{t.processName || t.processDefinitionId}</Link>
      </dd>
      <dt>Instance</dt>
      <dd>
        <Link to={`/instances/${t.processInstanceKey}`}>{t.processInstanceKey}</Link>
      </dd>
      <dt>Element</dt>
      <dd>
        <code>{t.elementId}</code>
      </dd>
      <dt>Assignee</dt>
      <dd>{t.assignee || 'nobody'}</dd>
      {t.candidateGroups.length > 0 ? (
        <>
          <dt>Candidate groups</dt>
          <dd>{t.candidateGroups.join(', ')}</dd>
        </>
      ) : null}
      {t.candidateUsers.length > 0 ? (
        <>
          <dt>Candidate users</dt>
          <dd>{t.candidateUsers.join(', ')}</dd>
        </>
      ) : null}
      <dt>Created</dt>
      <dd>{formatDate(t.creationDate)}</dd>
      {t.dueDate ? (
        <>
          <dt>Due</dt>
          <dd>{formatDate(t.dueDate)}</dd>
        </>
      ) : null}
      <dt>Priority</dt>
      <dd>{t.priority}</dd>
    </dl>
  );
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
