/**
 * /ui/tasks: the open user tasks of the signed-in user (assigned to them, or offered to them or
 * their groups), or every open task the API lets them see; and job-based user tasks, read-only.
 */
import { useState } from 'preact/hooks';
import { useLive } from '../../lib/live';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { Readable } from '../../shell/readable';
import { getMe, searchAllTasks, searchMyTasks, TASK_LIMIT, type Me } from './data';
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
      <JobTasks />
    </section>
  );
}

function OpenTasks({ me }: { readonly me: Me }) {
  const anonymous = me.username === null;
  const [scope, setScope] = useState<Scope>(anonymous ? 'all' : 'mine');
  const tasks = useLive((signal) => (scope === 'mine' && !anonymous ? searchMyTasks(me, signal) : searchAllTasks(signal)), [scope, me.username, me.groups.join('\u0000')]);

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
      {tasks.data && tasks.data.length === 0 ? (
        <p class="empty">{scope === 'mine' && !anonymous ? 'No open task is assigned or offered to you.' : 'No task is open.'}</p>
      ) : null}
      {tasks.data && tasks.data.length > 0 ? <TaskTable tasks={tasks.data} me={me.username} /> : null}
      {tasks.data && tasks.data.length >= TASK_LIMIT ? <p class="notice">Showing the newest {TASK_LIMIT} tasks.</p> : null}
    </>
  );
}
