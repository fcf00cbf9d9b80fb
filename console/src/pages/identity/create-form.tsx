/** A small form of labelled fields that sends once and reports the API's refusal; new or (with `initial`) an edit. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNotice } from '../../shell/page';
import type { Field } from './kinds';

interface Props {
  readonly id: string;
  readonly legend: string;
  readonly fields: readonly Field[];
  readonly submitLabel: string;
  readonly onSubmit: (values: Record<string, string>) => Promise<unknown>;
  /** The values to start from (an edit), else empty. */
  readonly initial?: Readonly<Record<string, string>>;
  readonly onCancel?: () => void;
  /** Opened by a button elsewhere (an edit): its first field takes the focus, for the keyboard. */
  readonly focusFirst?: boolean;
}

export function CreateForm({ id, legend, fields, submitLabel, onSubmit, initial, onCancel, focusFirst }: Props) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusFirst) form.current?.querySelector('input')?.focus();
  }, []);
  const empty = () => Object.fromEntries(fields.map((f) => [f.name, initial?.[f.name] ?? '']));
  const [values, setValues] = useState<Record<string, string>>(empty);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Empty optional fields are left out, so the API keeps its defaults.
      await onSubmit(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
      setValues(empty());
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="identity-form" ref={form} onSubmit={submit}>
      <fieldset>
        <legend>{legend}</legend>
        {fields.map((f) => (
          <div class="field" key={f.name}>
            <label for={`${id}-${f.name}`}>{f.label}</label>
            <input
              id={`${id}-${f.name}`}
              name={f.name}
              type={f.type ?? 'text'}
              required={f.required}
              autocomplete={f.type === 'password' ? 'new-password' : 'off'}
              value={values[f.name]}
              onInput={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })}
            />
          </div>
        ))}
        <button type="submit" class="primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </fieldset>
      {error ? <ErrorNotice error={error} what="It was refused." /> : null}
    </form>
  );
}
