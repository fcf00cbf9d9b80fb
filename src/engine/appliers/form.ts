import type { ApplierTable } from './applier.js';
import type { DeploymentValue, FormValue, ZenRecord } from '../records.js';
import { tenantOf } from '../tenants.js';

export const formAppliers: ApplierTable<'FORM'> = {
  CREATED(state, record: ZenRecord<FormValue>) {
    state.forms.put({ key: record.key, value: record.value });
  },
  /** Keyed by a key of its own (as in Zeebe). Its version is not handed out again. */
  DELETED(state, record: ZenRecord<FormValue>) {
    const { formKey, formId, version, deploymentKey, tenantId } = record.value;
    state.forms.table.delete(formKey);
    const inDeployment = `${deploymentKey}:${formId}`;
    if (state.forms.deployments.get(inDeployment) === formKey) state.forms.deployments.delete(inDeployment);
    state.noteDeletedFormVersion(formId, tenantOf(tenantId), version);
    state.meta.set(`deletedDefinition:${formKey}`, version);
  },
};

export const deploymentAppliers: ApplierTable<'DEPLOYMENT'> = {
  /** Which form and decision of each id the deployment held, duplicates too: a process binds to those of its own deployment. */
  CREATED(state, record: ZenRecord<DeploymentValue>) {
    for (const form of record.value.formMetadata ?? []) state.forms.deployments.set(`${record.key}:${form.formId}`, form.formKey);
    for (const decision of record.value.decisionsMetadata ?? []) state.decisions.deployments.set(`${record.key}:${decision.decisionId}`, decision.decisionKey);
  },
};
