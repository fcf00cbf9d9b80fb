/**
 * A task's form drawn by form-js, prefilled from the variables the task sees. The page completes
 * the task through `handle`: the form's values, or nothing while a field fails its validation
 * (form-js then shows the errors at the fields).
 */
import type { MutableRef } from 'preact/hooks';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ShownForm } from './form-viewer';

export interface FormHandle {
  values(): Record<string, unknown> | null;
}

interface Props {
  readonly schema: unknown;
  readonly data: Record<string, unknown>;
  readonly readOnly: boolean;
  readonly handle: MutableRef<FormHandle | null>;
}

export function TaskForm({ schema, data, readOnly, handle }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [form, setForm] = useState<ShownForm | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let shown: ShownForm | null = null;
    setError(null);
    void import('./form-viewer')
      .then(({ showForm }) => showForm(container.current!, schema, data, readOnly))
      .then((f) => {
        if (cancelled) return f.destroy();
        shown = f;
        setForm(f);
      })
      .catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
      shown?.destroy();
      setForm(null);
    };
    // The form is drawn once per schema and data; what the user typed must survive a refresh of the task.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schema, data]);

  useEffect(() => form?.setReadOnly(readOnly), [form, readOnly]);

  useEffect(() => {
    handle.current = form
      ? {
          values: () => {
            const { data: values, errors } = form.submit();
            return Object.keys(errors).length > 0 ? null : values;
          },
        }
      : null;
    return () => {
      handle.current = null;
    };
  }, [form, handle]);

  return (
    <div class="task-form">
      <div class="form-sheet" ref={container} data-ready={form ? 'true' : 'false'} />
      {error ? (
        <p class="notice error" role="alert">
          The form could not be drawn: {error}
        </p>
      ) : null}
    </div>
  );
}
