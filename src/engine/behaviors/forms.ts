import type { UserTaskFormDefinition } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { FormRow } from '../state/forms.js';
import { tenantOf } from '../tenants.js';

export type FormLookup = { readonly ok: true; readonly form: FormRow } | { readonly ok: false; readonly message: string };

/**
 * The deployed form a user task links, by its binding type, among its instance's tenant's; the
 * message is the FORM_NOT_FOUND incident's.
 */
export function findLinkedForm(
  ctx: ProcessingContext,
  definition: Extract<UserTaskFormDefinition, { kind: 'linked' }>,
  formId: string,
  task: { readonly processDefinitionKey: bigint; readonly tenantId: string },
): FormLookup {
  const forms = ctx.state.forms;
  const { processDefinitionKey } = task;
  const tenantId = tenantOf(task.tenantId);
  switch (definition.bindingType) {
    case 'latest': {
      const form = forms.latest(formId, tenantId);
      return form
        ? { ok: true, form }
        : { ok: false, message: `Expected to find a form with id '${formId}', but no form with this id is deployed. To resolve the incident, deploy a form with this id` };
    }
    case 'deployment': {
      const deploymentKey = ctx.state.processes.get(processDefinitionKey)?.value.deploymentKey ?? -1n;
      const form = forms.inDeployment(deploymentKey, formId);
      return form
        ? { ok: true, form }
        : {
            ok: false,
            message: `Expected to use a form with id '${formId}' with binding type 'deployment', but no such form was found in the deployment with key ${deploymentKey} which contained the current process. To resolve the incident, deploy the process together with the form it uses`,
          };
    }
    case 'versionTag': {
      const form = forms.withVersionTag(formId, tenantId, definition.versionTag!);
      return form
        ? { ok: true, form }
        : {
            ok: false,
            message: `Expected to use a form with id '${formId}' and version tag '${definition.versionTag}', but no such form was found. To resolve the incident, deploy a form with the given id and version tag`,
          };
    }
  }
}
