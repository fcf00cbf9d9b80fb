/**
 * The instance's variables, by scope (the process instance, then each element instance that
 * holds some), each editable: the new value is JSON, set in the variable's own scope. A new
 * variable goes into the scope the user picks: the process instance or anything running.
 */
import { TableWrap } from '../../shell/table-wrap';
import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../shell/page';
import { Permitted } from '../../shell/permitted';
import { ShowMore } from '../../shell/show-more';
import type { Paged } from '../../lib/paged-search';
import { useAction } from './action';
import { setVariable, type ElementInstance, type Variable } from './data';

interface Props {
  readonly processInstanceKey: string;
  readonly variables: Paged<Variable> | undefined;
  readonly error: Error | undefined;
  /** Element instances known to the page, to name the scopes by. */
  readonly elements: readonly ElementInstance[];
  /** What runs now: the scopes a variable can be added to, besides the process instance. */
  readonly running: readonly ElementInstance[];
  readonly pageSize: number;
  readonly onMore: () => void;
  readonly names: ReadonlyMap<string, string>;
  /** Editing offered in each row (false when the permission is known to be missing). */
  readonly editable: boolean;
  /** The permission adding needs, or null when nothing may be added (the instance has ended). */
  readonly addable: { readonly resourceType: string; readonly permission: string; readonly resourceId: string } | null;
  readonly onChanged: () => void;
}

export function VariablesSection({ processInstanceKey, variables, error, elements, running, names, editable, addable, pageSize, onMore, onChanged }: Props) {
  const scopes = new Map<string, Variable[]>();
  for (const v of variables?.items ?? []) scopes.set(v.scopeKey, [...(scopes.get(v.scopeKey) ?? []), v]);
  const order = [processInstanceKey, ...[...scopes.keys()].filter((k) => k !== processInstanceKey)];
  const scopeName = (key: string) => {
    if (key === processInstanceKey) return 'Process instance';
    const element = elements.find((e) => e.elementInstanceKey === key);
    return element ? `${names.get(element.elementId) ?? element.elementId} (${key})` : `Scope ${key}`;
  };

  return (
    <section aria-labelledby="variables-title">
      <h2 id="variables-title">Variables</h2>
      {error ? <ErrorNotice error={error} what="The variables could not be read." /> : null}
      {variables && variables.items.length === 0 ? <p class="empty">This instance has no variables.</p> : null}
      {variables && variables.items.length > 0
        ? order
            .filter((key) => scopes.has(key))
            .map((key) => <ScopeTable key={key} title={scopeName(key)} variables={scopes.get(key)!} editable={editable} onChanged={onChanged} />)
        : null}
      {variables?.more ? <ShowMore shown={variables.items.length} total={variables.total} what="variables" step={pageSize} onMore={onMore} /> : null}
      {addable ? (
        <Permitted {...addable} what="Adding and editing variables">
          <AddVariable scopes={[processInstanceKey, ...running.map((e) => e.elementInstanceKey)]} scopeName={scopeName} onChanged={onChanged} />
        </Permitted>
      ) : null}
    </section>
  );
}

function ScopeTable({ title, variables, editable, onChanged }: { readonly title: string; readonly variables: readonly Variable[]; readonly editable: boolean; readonly onChanged: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div class="scope">
      <TableWrap label={`Variables of ${title}, scrollable`}>
      <table class="data-table" aria-label={`Variables of ${title}`}>
        <caption class="scope-title">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
            {editable ? (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {variables.map((v) => (
            <tr key={v.variableKey} data-variable={v.name}>
              <th scope="row">{v.name}</th>
              {editing === v.variableKey ? (
                <td colSpan={2}>
                  <VariableEditor variable={v} onDone={() => setEditing(null)} onChanged={onChanged} />
                </td>
              ) : (
                <>
                  <td class="value">
                    <code>{v.value}</code>
                  </td>
                  {editable ? (
                    <td>
                      <button type="button" aria-label={`Edit ${v.name}`} onClick={() => setEditing(v.variableKey)}>
                        Edit
                      </button>
                    </td>
                  ) : null}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      </TableWrap>
    </div>
  );
}

/** Parses the editor's text as JSON; the error names what is wrong. */
export function parseValue(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `Not JSON (write text in quotes): ${(err as Error).message}` };
  }
}

function VariableEditor({ variable, onDone, onChanged }: { readonly variable: Variable; readonly onDone: () => void; readonly onChanged: () => void }) {
  const [text, setText] = useState(variable.value);
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction(onChanged);
  const id = `edit-${variable.variableKey}`;
  return (
    <form
      class="variable-editor"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseValue(text);
        if ('error' in parsed) return setInvalid(parsed.error);
        setInvalid(null);
        void action.run(() => setVariable(variable.scopeKey, variable.name, parsed.value), `${variable.name} saved`).then((ok) => ok && onDone());
      }}
    >
      <label for={id}>New value of {variable.name} (JSON)</label>
      <textarea id={id} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-invalid={invalid ? 'true' : 'false'} />
      {invalid ? (
        <p class="notice error" role="alert">
          {invalid}
        </p>
      ) : null}
      {action.error ? <ErrorNotice error={action.error} what={`${variable.name} could not be saved.`} /> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={action.pending}>
          Save {variable.name}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddVariable({ scopes, scopeName, onChanged }: { readonly scopes: readonly string[]; readonly scopeName: (key: string) => string; readonly onChanged: () => void }) {
  const [chosen, setChosen] = useState('');
  // The scope picked is kept while it runs; once it ends the process instance is offered again.
  const scopeKey = scopes.includes(chosen) ? chosen : scopes[0]!;
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction(onChanged);
  return (
    <form
      class="inline-form panel"
      aria-label="Add a variable"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parseValue(value);
        if (!name.trim()) return setInvalid('A variable needs a name.');
        if ('error' in parsed) return setInvalid(parsed.error);
        setInvalid(null);
        void action.run(() => setVariable(scopeKey, name.trim(), parsed.value), `${name.trim()} added to ${scopeName(scopeKey)}`).then((ok) => {
          if (ok) {
            setName('');
            setValue('');
          }
        });
      }}
    >
      <div class="field">
        <label for="new-variable-scope">Scope</label>
        <select id="new-variable-scope" value={scopeKey} onChange={(e) => setChosen(e.currentTarget.value)}>
          {scopes.map((key) => (
            <option key={key} value={key}>
              {scopeName(key)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="new-variable-name">New variable</label>
        <input id="new-variable-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="new-variable-value">Value (JSON)</label>
        <input id="new-variable-value" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled={action.pending}>
        Add variable
      </button>
      {invalid ? (
        <p class="notice error" role="alert">
          {invalid}
        </p>
      ) : null}
      {action.error ? <ErrorNotice error={action.error} what="The variable could not be added." /> : null}
    </form>
  );
}
