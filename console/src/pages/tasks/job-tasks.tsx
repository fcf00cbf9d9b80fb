/**
 * User tasks without zeebe:userTask: jobs of type io.camunda.zeebe:userTask, which a worker (or
 * Tasklist V1) serves. The console shows them and offers nothing: claiming and completing them
 * belong to whoever works the job.
 */
import { useRef } from 'preact/hooks';
import { usePermissions } from '../../auth/permissions';
import { useLive } from '../../lib/live';
import { Link } from '../../shell/link';
import { ErrorNotice } from '../../shell/page';
import { ShowMore } from '../../shell/show-more';
import { TableWrap } from '../../shell/table-wrap';
import { searchJobTasks } from './data';
import { formatDate } from './task-facts';

export function JobTasks({ pageSize }: { readonly pageSize: number }) {
  // Jobs are read as instance data; without it the section would only ever be empty, so it is left out.
  const readable = usePermissions().canAny('PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE');
  return !readable.ok && readable.known ? null : <JobTaskList pageSize={pageSize} />;
}

function JobTaskList({ pageSize }: { readonly pageSize: number }) {
  const want = useRef(pageSize);
  const jobs = useLive((signal) => searchJobTasks(want.current, pageSize, signal), [pageSize]);
  const list = jobs.data?.items;
  if (!jobs.error && (!list || list.length === 0)) return null;
  return (
    <>
      <h2>Job-based user tasks (read-only)</h2>
      <p class="empty">These tasks are jobs a worker serves; the console shows them but cannot claim or complete them.</p>
      {jobs.error ? <ErrorNotice error={jobs.error} what="The job-based user tasks could not be read." /> : null}
      {list && list.length > 0 ? (
        <TableWrap label="Job-based user tasks">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Element</th>
                <th scope="col">Process</th>
                <th scope="col">Instance</th>
                <th scope="col">Job</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.map((j) => (
                <tr key={j.jobKey} data-job-key={j.jobKey}>
                  <td>
                    <code>{j.elementId}</code>
                  </td>
                  <td>{j.processDefinitionId}</td>
                  <td>
                    <Link to={`/instances/${j.processInstanceKey}`}>{j.processInstanceKey}</Link>
                  </td>
                  <td>
                    <code>{j.jobKey}</code>
                  </td>
                  <td>{j.creationTime ? formatDate(j.creationTime) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {jobs.data?.more ? (
        <ShowMore
          shown={jobs.data.items.length}
          total={jobs.data.total}
          what="job-based user tasks"
          step={pageSize}
          onMore={() => {
            want.current += pageSize;
            jobs.refresh();
          }}
        />
      ) : null}
    </>
  );
}
