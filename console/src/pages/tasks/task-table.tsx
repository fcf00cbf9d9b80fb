/** Open user tasks as a table; each name leads to the task's page. */
import { Link } from '../../shell/link';
import { TableWrap } from '../../shell/table-wrap';
import type { UserTask } from './data';
import { formatDate } from './task-facts';

export function TaskTable({ tasks, me }: { readonly tasks: readonly UserTask[]; readonly me: string | null }) {
  return (
    <TableWrap label="Open tasks">
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Process</th>
            <th scope="col">Assignee</th>
            <th scope="col">Candidates</th>
            <th scope="col">Created</th>
            <th scope="col">Priority</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.userTaskKey} data-task-key={t.userTaskKey}>
              <td>
                <Link to={`/tasks/${t.userTaskKey}`}>{t.name || t.elementId}</Link>
              </td>
              <td>{t.processName || t.processDefinitionId}</td>
              <td>{t.assignee ? (t.assignee === me ? `${t.assignee} (you)` : t.assignee) : '—'}</td>
              <td>{[...t.candidateUsers, ...t.candidateGroups.map((g) => `${g} (group)`)].join(', ') || '—'}</td>
              <td>{formatDate(t.creationDate)}</td>
              <td>{t.priority}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
