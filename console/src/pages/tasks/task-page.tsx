/**
 * /ui/tasks/{userTaskKey}: one Camunda user task: claim or unclaim it, fill its form (prefilled
 * from the variables it sees) and complete it with the form's values.
 */
import { useRef, useState } from 'preact/hooks';
import { useGrant } from '../../auth/permissions';
import { useLive } from '../../lib/live';
import { ErrorNotice, Loading, PageHeader } from '../../shell/page';
import { Permitted } from '../../shell/permitted';
import { Assignment } from './assignment';
import { completeTask, getMe, getTask, getTaskForm, getTaskVariables, type Me, type UserTask } from './data';
import { TaskFacts } from './task-facts';
import { TaskForm, type FormHandle } from './task-form';
import './tasks.css';

export function TaskPage({ taskKey }: { readonly taskKey: string }) {
  const me = useLive((signal) => getMe(signal), [], 0);
  const task = useLive((signal) => getTask(taskKey, signal), [taskKey]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const [done, setDone] = useState('');
  const t = task.data;

  const act = (what: string, action: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    setDone('');
    action()
      .then(() => setDone(what))
      .catch((err: Error) => setFailure(err))
      .finally(() => {
        setBusy(false);
        task.refresh();
      });
  };

  return (
    <section>
      <PageHeader title={t ? t.name || t.elementId : 'Task'}>{t ? <TaskFacts task={t} /> : null}</PageHeader>
      {task.error ? <ErrorNotice error={task.error} what="This task could not be read." /> : null}
      {me.error ? <ErrorNotice error={me.error} what="Who is signed in could not be read." /> : null}
      {!t && !task.error ? <Loading what="the task" /> : null}
      <p class="action-status" role="status">
        {done}
      </p>
      {failure ? <ErrorNotice error={failure} what="The action failed." /> : null}
      {t && me.data && t.state === 'CREATED' ? (
        <Permitted {...updateTask(t)} what="Claiming and assigning">
          <Assignment task={t} me={me.data} act={act} busy={busy} />
        </Permitted>
      ) : null}
      {t && me.data ? <TaskWork task={t} me={me.data} act={act} busy={busy} /> : null}
    </section>
  );
}

/** What the node checks before assigning or completing a user task. */
function updateTask(t: UserTask) {
  return { resourceType: 'PROCESS_DEFINITION', permission: 'UPDATE_USER_TASK', resourceId: t.processDefinitionId };
}

interface WorkProps {
  readonly task: UserTask;
  readonly me: Me;
  readonly act: (what: string, action: () => Promise<void>) => void;
  readonly busy: boolean;
}

/** The form and Complete. Only the assignee works on a task (anyone, with no sign-in). */
function TaskWork({ task, me, act, busy }: WorkProps) {
  const open = task.state === 'CREATED';
  const key = task.userTaskKey;
  // Read once while the task is open: a poll must not redraw the form under the user's typing.
  const content = useLive((signal) => (open ? Promise.all([getTaskForm(key, signal), getTaskVariables(key, signal)]) : Promise.resolve(null)), [key, open], 0);
  const handle = useRef<FormHandle | null>(null);
  const [invalid, setInvalid] = useState(false);
  // Who may not claim is told so where claiming would be; "claim it" would only mislead.
  const update = useGrant(updateTask(task).resourceType, updateTask(task).permission, updateTask(task).resourceId);
  const mayClaim = update.ok || !update.known;

  if (!open) return <p class="notice">This task is {task.state.toLowerCase()}{task.completionDate ? ` (${new Date(task.completionDate).toLocaleString()})` : ''}.</p>;
  const mine = me.username === null || task.assignee === me.username;
  const [form, variables] = content.data ?? [null, {}];

  const complete = () => {
    let values: Record<string, unknown> = {};
    if (form) {
      const filled = handle.current?.values();
      setInvalid(!filled);
      if (!filled) return;
      values = filled;
    }
    act('Completed', () => completeTask(key, values));
  };

  return (
    <>
      <h2>Form</h2>
      {content.error ? <ErrorNotice error={content.error} what="The form or the variables could not be read." /> : null}
      {!content.data && !content.error ? <Loading what="the form" /> : null}
      {!mine && mayClaim ? <p class="notice">Claim the task to work on it.</p> : null}
      {content.data && !form ? <p class="empty">{task.externalFormReference ? `This task's form is external: ${task.externalFormReference}` : 'This task has no form.'}</p> : null}
      {form ? <TaskForm schema={form.schema} data={variables} readOnly={!mine} handle={handle} /> : null}
      {invalid ? (
        <p class="notice error" role="alert">
          Some fields need a value: see the form.
        </p>
      ) : null}
      {/* Compact: the reason is already shown where claiming would be. */}
      <Permitted {...updateTask(task)} what="Completing" compact>
        <div class="task-actions">
          <button type="button" class="primary" disabled={!mine || busy || !content.data} onClick={complete}>
            Complete
          </button>
        </div>
      </Permitted>
    </>
  );
}
