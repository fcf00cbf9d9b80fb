/**
 * Modify: activate elements and terminate element instances, all in one step. Elements are
 * picked on the diagram (a second click drops one) or added from the list below (the keyboard's
 * way); each activation can carry variables and a scope for them, and, inside a sub-process that
 * runs more than once, the instance to activate it in.
 */
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../shell/page';
import { useAction } from './action';
import { modifyInstance, type ElementInstance } from './data';
import { ancestorCandidates, buildModification, enclosingScopes, newDraft, type ActivationDraft } from './modification';

interface Props {
  readonly processInstanceKey: string;
  /** The flow nodes of the diagram: id → name. */
  readonly elements: ReadonlyMap<string, string>;
  /** Element id → the sub-process it sits in (null at the process level). */
  readonly parents: ReadonlyMap<string, string | null>;
  readonly running: readonly ElementInstance[];
  /** More run than `running` lists. */
  readonly runningCut: boolean;
  /** The elements to activate, in the order picked. */
  readonly picked: readonly string[];
  readonly onPick: (elementId: string) => void;
  readonly onDone: () => void;
  readonly onClose: () => void;
  readonly onChanged: () => void;
}

export function ModifyPanel({ processInstanceKey, elements, parents, running, runningCut, picked, onPick, onDone, onClose, onChanged }: Props) {
  const [terminate, setTerminate] = useState<ReadonlySet<string>>(new Set());
  const [drafts, setDrafts] = useState<ReadonlyMap<string, ActivationDraft>>(new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [adding, setAdding] = useState('');
  const action = useAction(onChanged);
  const name = (id: string) => elements.get(id) ?? id;
  const toggle = (key: string, on: boolean) => {
    const next = new Set(terminate);
    if (on) next.add(key);
    else next.delete(key);
    setTerminate(next);
  };
  const edit = (elementId: string, change: Partial<ActivationDraft>) => {
    setDrafts(new Map(drafts).set(elementId, { ...(drafts.get(elementId) ?? newDraft(elementId)), ...change }));
    if (errors.has(elementId)) {
      const next = new Map(errors);
      next.delete(elementId);
      setErrors(next);
    }
  };
  const unpicked = [...elements].filter(([id]) => !picked.includes(id));
  const nothing = picked.length === 0 && terminate.size === 0;

  return (
    <form
      class="panel modify-panel"
      aria-labelledby="modify-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const built = buildModification(picked, drafts, [...terminate]);
        if ('errors' in built) return setErrors(built.errors);
        setErrors(new Map());
        void action.run(() => modifyInstance(processInstanceKey, built.instruction), 'The instance is modified.').then((ok) => {
          if (!ok) return;
          setTerminate(new Set());
          setDrafts(new Map());
          onDone();
        });
      }}
    >
      <h2 id="modify-title">Modify the instance</h2>
      <p>
        Click elements on the diagram to activate them (click again to drop one) or add them below, and tick the running element instances to terminate.
        Everything is applied in one step.
      </p>
      <div class="inline-form">
        <div class="field">
          <label for="modify-add">Element to activate</label>
          <select id="modify-add" value={adding} onChange={(e) => setAdding(e.currentTarget.value)}>
            <option value="">Choose an element</option>
            {unpicked.map(([id, label]) => (
              <option key={id} value={id}>
                {label === id ? id : `${label} (${id})`}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          disabled={!adding}
          onClick={() => {
            onPick(adding);
            setAdding('');
          }}
        >
          Add activation
        </button>
      </div>
      <h3>Activate</h3>
      {picked.length === 0 ? <p class="empty">No element picked.</p> : null}
      {picked.map((id) => (
        <Activation
          key={id}
          elementId={id}
          name={name}
          draft={drafts.get(id) ?? newDraft(id)}
          error={errors.get(id)}
          scopes={enclosingScopes(id, parents)}
          ancestors={ancestorCandidates(id, parents, running)}
          onEdit={(change) => edit(id, change)}
          onRemove={() => {
            onPick(id);
            // The dropped fieldset held the focus: hand it to where another element is added.
            document.getElementById('modify-add')?.focus();
          }}
        />
      ))}
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
              {name(e.elementId)} ({e.elementInstanceKey})
            </label>
          </div>
        ))}
        {runningCut ? <p class="notice">Only the first {running.length} running element instances are listed.</p> : null}
      </fieldset>
      {errors.size > 0 ? (
        <p class="notice error" role="alert">
          Fix the variables of {[...errors.keys()].map(name).join(', ')} first.
        </p>
      ) : null}
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

interface ActivationProps {
  readonly elementId: string;
  readonly name: (id: string) => string;
  readonly draft: ActivationDraft;
  readonly error: string | undefined;
  /** The enclosing sub-processes, innermost first. */
  readonly scopes: readonly string[];
  readonly ancestors: readonly ElementInstance[];
  readonly onEdit: (change: Partial<ActivationDraft>) => void;
  readonly onRemove: () => void;
}

function Activation({ elementId, name, draft, error, scopes, ancestors, onEdit, onRemove }: ActivationProps) {
  const id = `activate-${elementId}`;
  const label = name(elementId);
  return (
    <fieldset class="activation" data-activation={elementId}>
      <legend>Activate {label}</legend>
      <div class="field">
        <label for={`${id}-variables`}>Variables for {label} (JSON object, optional)</label>
        <textarea
          id={`${id}-variables`}
          value={draft.variables}
          placeholder='{"amount": 100}'
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => onEdit({ variables: e.currentTarget.value })}
        />
        {error ? (
          <p class="notice error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
      <div class="field">
        <label for={`${id}-scope`}>Create the variables of {label} in</label>
        <select id={`${id}-scope`} value={draft.scopeId} onChange={(e) => onEdit({ scopeId: e.currentTarget.value })}>
          <option value={elementId}>{label} itself (local)</option>
          {scopes.map((scope) => (
            <option key={scope} value={scope}>
              The sub-process {name(scope)}
            </option>
          ))}
          <option value="">The process instance</option>
        </select>
      </div>
      {ancestors.length > 0 ? (
        <div class="field">
          <label for={`${id}-ancestor`}>Activate {label} in</label>
          <select id={`${id}-ancestor`} value={draft.ancestorKey} onChange={(e) => onEdit({ ancestorKey: e.currentTarget.value })}>
            <option value="">The running one (a new one when none runs)</option>
            {ancestors.map((a) => (
              <option key={a.elementInstanceKey} value={a.elementInstanceKey}>
                {name(a.elementId)} ({a.elementInstanceKey})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="button" onClick={onRemove}>
        Drop {label}
      </button>
    </fieldset>
  );
}
