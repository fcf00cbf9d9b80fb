/**
 * /ui/tasks: the open user tasks of the signed-in user (assigned to them, or offered to them or
 * their groups), or every open task the API lets them see; and job-based user tasks, read-only.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLive } from '../../lib/live';
import { pageSizeFrom } from '../../lib/page-size';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { Readable } from '../../shell/readable';
import { ShowMore } from '../../shell/show-more';
import { getMe, searchAllTasks, searchMyTasks, TASK_PAGE_SIZE, type Me } from './data';
import { JobTasks } from './job-tasks';
import { TaskTable } from './task-table';
import './tasks.css';

type Scope = 'mine' | 'all';

export function TasksPage() {
  const me = useLive((signal) => getMe(signal), [], 0);
  return (
    <section>
      <PageHeader title="Tasks" />
      {me.error ? <ErrorNotice error={me.error} what="Who is signed in could not be read." /> : null}
      {!me.data && !me.error ? <Loading what="tasks" /> : null}
      {me.data ? (
        <Readable resourceType="PROCESS_DEFINITION" permission="READ_USER_TASK" what="The user tasks" narrowed>
          <OpenTasks me={me.data} />
        </Readable>
      ) : null}
      <JobTasks pageSize={pageSizeFrom(location.search, TASK_PAGE_SIZE)} />
    </section>
  );
}

function OpenTasks({ me }: { readonly me: Me }) {
  const anonymous = me.username === null;
  const [scope, setScope] = useState<Scope>(anonymous ? 'all' : 'mine');
  const rows = useMemo(() => pageSizeFrom(location.search, TASK_PAGE_SIZE), []);
  // The polls read as many tasks as the user asked to see; a new scope starts at one page again.
  const want = useRef(rows);
  useEffect(() => {
    want.current = rows;
  }, [scope, rows]);
  const tasks = useLive(
    (signal) => (scope === 'mine' && !anonymous ? searchMyTasks(me, want.current, rows, signal) : searchAllTasks(want.current, rows, signal)),
    [scope, me.username, me.groups.join('\u0000')],
  );
  const list = tasks.data?.items;

  return (
    <>
      {anonymous ? (
        <p class="notice">This node runs without sign-in (--auth none): every open task is shown.</p>
      ) : (
        <fieldset class="scope-choice">
          <legend>Show</legend>
          <label>
            <input type="radio" name="task-scope" value="mine" checked={scope === 'mine'} onChange={() => setScope('mine')} /> My tasks
          </label>
          <label>
            <input type="radio" name="task-scope" value="all" checked={scope === 'all'} onChange={() => setScope('all')} /> All open tasks
          </label>
        </fieldset>
      )}
      <h2>{scope === 'mine' && !anonymous ? 'My open tasks' : 'Open tasks'}</h2>
      {tasks.error ? <ErrorNotice error={tasks.error} what="The tasks could not be read." /> : null}
      {!tasks.data && !tasks.error ? <Loading what="tasks" /> : null}
      {list && list.length === 0 ? (
        <p class="empty">{scope === 'mine' && !anonymous ? 'No open task is assigned or offered to you.' : 'No task is open.'}</p>
      ) : null}
      {list && list.length > 0 ? <TaskTable tasks={list} me={me.username} /> : null}
      {tasks.data?.more ? (
        <ShowMore
          shown={tasks.data.items.length}
          total={tasks.data.total}
          what="open tasks"
          step={rows}
          onMore={() => {
            want.current += rows;
            tasks.refresh();
          }}
        />
      ) : null}
    </>
  );
}
