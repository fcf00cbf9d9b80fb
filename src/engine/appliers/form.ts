import type { ApplierTable } from './applier.js';
import type { DeploymentValue, FormValue, ZenRecord } from '../records.js';

export const formAppliers: ApplierTable<'FORM'> = {
  CREATED(state, record: ZenRecord<FormValue>) {
    state.forms.put({ key: record.key, value: record.value });
  },
};

export const deploymentAppliers: ApplierTable<'DEPLOYMENT'> = {
  /** Which form and decision of each id the deployment held, duplicates too: a process binds to those of its own deployment. */
  CREATED(state, record: ZenRecord<DeploymentValue>) {
    for (const form of record.value.formMetadata ?? []) state.forms.deployments.set(`${record.key}:${form.formId}`, form.formKey);
    for (const decision of record.value.decisionsMetadata ?? []) state.decisions.deployments.set(`${record.key}:${decision.decisionId}`, decision.decisionKey);
  },
};
