/**
 * Modify: move a token. Pick the element to activate (on the diagram, or in the list: the
 * keyboard's way) and the running element instances to terminate; both happen in one step.
 */
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../shell/page';
import { useAction } from './action';
import { modifyInstance, type ElementInstance } from './data';

interface Props {
  readonly processInstanceKey: string;
  /** The flow nodes of the diagram: id → name. */
  readonly elements: ReadonlyMap<string, string>;
  readonly running: readonly ElementInstance[];
  readonly activate: string;
  readonly onActivate: (elementId: string) => void;
  readonly onClose: () => void;
  readonly onChanged: () => void;
}

export function ModifyPanel({ processInstanceKey, elements, running, activate, onActivate, onClose, onChanged }: Props) {
  const [terminate, setTerminate] = useState<ReadonlySet<string>>(new Set());
  const action = useAction(onChanged);
  const toggle = (key: string, on: boolean) => {
    const next = new Set(terminate);
    if (on) next.add(key);
    else next.delete(key);
    setTerminate(next);
  };
  const nothing = !activate && terminate.size === 0;

  return (
    <form
      class="panel modify-panel"
      aria-labelledby="modify-title"
      onSubmit={(event) => {
        event.preventDefault();
        void action
          .run(() => modifyInstance(processInstanceKey, { activate: activate ? [activate] : [], terminate: [...terminate] }), 'The instance is modified.')
          .then((ok) => ok && onClose());
      }}
    >
      <h2 id="modify-title">Modify the instance</h2>
      <p>Pick the element to activate on the diagram or below, and the running elements to terminate.</p>
      <div class="field">
        <label for="modify-activate">Activate</label>
        <select id="modify-activate" value={activate} onChange={(e) => onActivate(e.currentTarget.value)}>
          <option value="">Nothing</option>
          {[...elements].map(([id, name]) => (
            <option key={id} value={id}>
              {name === id ? id : `${name} (${id})`}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>Terminate</legend>
        {running.length === 0 ? <p class="empty">Nothing runs.</p> : null}
        {running.map((e) => (
          <div class="field check" key={e.elementInstanceKey}>
            <input
              id={`terminate-${e.elementInstanceKey}`}
              type="checkbox"
              checked={terminate.has(e.elementInstanceKey)}
              onChange={(event) => toggle(e.elementInstanceKey, event.currentTarget.checked)}
            />
            <label for={`terminate-${e.elementInstanceKey}`}>
              {elements.get(e.elementId) ?? e.elementId} ({e.elementInstanceKey})
            </label>
          </div>
        ))}
      </fieldset>
      {action.error ? <ErrorNotice error={action.error} what="The modification was refused." /> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={nothing || action.pending}>
          Apply modification
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
