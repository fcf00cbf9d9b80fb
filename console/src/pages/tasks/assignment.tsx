/**
 * Claim and unclaim. A signed-in user claims for themselves; under `--auth none` nobody is
 * signed in, so the assignee is typed in.
 */
import { useState } from 'preact/hooks';
import { assignTask, unassignTask, type Me, type UserTask } from './data';

interface Props {
  readonly task: UserTask;
  readonly me: Me;
  /** Runs an action, shows its failure, and reloads the task after it. */
  readonly act: (what: string, action: () => Promise<void>) => void;
  readonly busy: boolean;
}

export function Assignment({ task, me, act, busy }: Props) {
  const [name, setName] = useState('');
  if (task.state !== 'CREATED') return null;
  const key = task.userTaskKey;
  const unassign = (label: string) => (
    <button type="button" disabled={busy} onClick={() => act('Unclaimed', () => unassignTask(key))}>
      {label}
    </button>
  );

  if (me.username === null) {
    return (
      <div class="assignment">
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const assignee = name.trim();
            if (assignee) act(`Assigned to ${assignee}`, () => assignTask(key, assignee));
          }}
        >
          <label for="task-assignee">Assignee</label>
          <input id="task-assignee" value={name} onInput={(event) => setName(event.currentTarget.value)} autoComplete="off" />
          <button type="submit" disabled={busy || name.trim() === ''}>
            Assign
          </button>
        </form>
        {task.assignee ? unassign('Unassign') : null}
      </div>
    );
  }
  if (!task.assignee) {
    return (
      <div class="assignment">
        <button type="button" class="primary" disabled={busy} onClick={() => act('Claimed', () => assignTask(key, me.username!))}>
          Claim
        </button>
      </div>
    );
  }
  if (task.assignee === me.username) return <div class="assignment">{unassign('Unclaim')}</div>;
  return <p class="assignment">Assigned to {task.assignee}.</p>;
}
