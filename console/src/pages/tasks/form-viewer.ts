/** form-js, loaded only by the task page (a chunk of its own, with its styles). */
import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';

export interface ShownForm {
  /** The form's values, or the fields that fail their validation. */
  submit(): { readonly data: Record<string, unknown>; readonly errors: Readonly<Record<string, unknown>> };
  setReadOnly(readOnly: boolean): void;
  destroy(): void;
}

export async function showForm(container: HTMLElement, schema: unknown, data: Record<string, unknown>, readOnly: boolean): Promise<ShownForm> {
  const form = new Form({ container });
  try {
    await form.importSchema(schema as Parameters<Form['importSchema']>[0], data);
  } catch (err) {
    form.destroy();
    throw err;
  }
  form.setProperty('readOnly', readOnly);
  return {
    submit: () => {
      const { data: values, errors } = form.submit();
      return { data: values as Record<string, unknown>, errors: errors as Record<string, unknown> };
    },
    setReadOnly: (value) => form.setProperty('readOnly', value),
    destroy: () => form.destroy(),
  };
}
