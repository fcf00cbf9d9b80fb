import type { CompiledForm, CompileResult, ExecutableElement, ExecutableProcess } from '../../../model/types.js';
import { planTimer } from '../../behaviors/event-subscriptions.js';
import { timerStartEvents } from '../../behaviors/process-definitions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { DeploymentAttachment, EngineCommand } from '../../processing/types.js';
import { deployDecisions, planDecisions, receiveDistributedDecisions } from './deploy-decisions.js';
import type { CommandDistributionValue, DeploymentValue, FormMetadataValue, FormValue, ProcessMetadataValue, ProcessValue, TimerValue } from '../../records.js';
import { checksum } from './resource-checksum.js';
import { tenantOf } from '../../tenants.js';

/** Prepared by the partition before processing: each resource compiled (asynchronously). */
function compileErrors(value: DeploymentValue, attachment: DeploymentAttachment): string | null {
  const lines: string[] = [];
  for (const { resourceName } of value.resources) {
    const result = attachment.compiled.get(resourceName);
    if (!result) lines.push(`'${resourceName}': the resource was not compiled`);
    else if (!result.ok) {
      lines.push(`'${resourceName}':`);
      for (const error of result.errors) lines.push(`- ${error.message}`);
    }
  }
  return lines.length === 0 ? null : lines.join('\n');
}

/** DEPLOYMENT CREATE: on the deploying partition (key -1) or distributed from it (key = deployment key). */
export function deploymentCreate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as DeploymentValue;
  const attachment = command.attachment as DeploymentAttachment;
  const errors = compileErrors(value, attachment);
  if (errors) {
    ctx.reject('INVALID_ARGUMENT', `Expected to deploy new resources, but encountered the following errors:\n${errors}`);
    return;
  }
  if (command.key > 0n) receiveDistributed(ctx, command.key, value, attachment);
  else deployNew(ctx, value, attachment);
}

function deployNew(ctx: ProcessingContext, value: DeploymentValue, attachment: DeploymentAttachment): void {
  const seen = new Map<string, string>();
  const seenForms = new Map<string, string>();
  const plan: Array<{ resourceName: string; resource: string; process: ExecutableProcess }> = [];
  const formPlan: Array<{ resourceName: string; resource: string; form: CompiledForm }> = [];
  for (const { resourceName, resource } of value.resources) {
    const result = attachment.compiled.get(resourceName)!;
    if (!result.ok) continue;
    const form = result.resource.form;
    if (form) {
      const other = seenForms.get(form.id);
      if (other !== undefined) {
        ctx.reject(
          'INVALID_ARGUMENT',
          `Expected to deploy new resources, but encountered the following errors:\nDuplicated form id in resources '${other}' and '${resourceName}'`,
        );
        return;
      }
      seenForms.set(form.id, resourceName);
      formPlan.push({ resourceName, resource, form });
    }
    for (const process of result.resource.processes) {
      const other = seen.get(process.id);
      if (other !== undefined) {
        ctx.reject(
          'INVALID_ARGUMENT',
          `Expected to deploy new resources, but encountered the following errors:\nDuplicated process id in resources '${other}' and '${resourceName}'`,
        );
        return;
      }
      seen.set(process.id, resourceName);
      plan.push({ resourceName, resource, process });
    }
  }

  const decisionPlan = planDecisions(value, attachment);
  if ('rejection' in decisionPlan) {
    ctx.reject('INVALID_ARGUMENT', `Expected to deploy new resources, but encountered the following errors:\n${decisionPlan.rejection}`);
    return;
  }

  // Timer start events are scheduled at deploy: one that cannot be evaluated refuses the deployment.
  for (const { process } of plan) {
    const failed = startTimerProblem(process, ctx.now);
    if (failed) {
      ctx.reject('INVALID_ARGUMENT', `Expected to deploy new resources, but encountered the following errors:\n${failed}`);
      return;
    }
  }

  // Everything deployed belongs to the deployment's tenant; versions count within it.
  const tenantId = tenantOf(value.tenantId);
  const deploymentKey = ctx.nextKey();
  const metadata: ProcessMetadataValue[] = [];
  const created: Array<{ key: bigint; process: ExecutableProcess }> = [];
  for (const { resourceName, resource, process } of plan) {
    const sum = checksum(resource);
    const latest = ctx.state.processes.latest(process.id, tenantId);
    if (latest && latest.value.checksum === sum && latest.value.resourceName === resourceName) {
      metadata.push({ ...metadataOf(latest.value), duplicate: true });
      continue;
    }
    const processValue: ProcessValue = {
      bpmnProcessId: process.id,
      version: ctx.state.processes.nextVersion(process.id, tenantId, ctx.state.highestDeletedVersion(process.id, tenantId)),
      processDefinitionKey: ctx.nextKey(),
      resourceName,
      checksum: sum,
      resource,
      deploymentKey,
      tenantId,
    };
    ctx.event('PROCESS', 'CREATED', processValue.processDefinitionKey, processValue);
    metadata.push({ ...metadataOf(processValue), duplicate: false });
    created.push({ key: processValue.processDefinitionKey, process });
  }

  const formMetadata: FormMetadataValue[] = [];
  for (const { resourceName, resource, form } of formPlan) {
    const sum = checksum(resource);
    const latest = ctx.state.forms.latest(form.id, tenantId);
    if (latest && latest.value.checksum === sum && latest.value.resourceName === resourceName) {
      formMetadata.push({ ...formMetadataOf(latest.value), duplicate: true });
      continue;
    }
    const formValue: FormValue = {
      formId: form.id,
      version: ctx.state.forms.nextVersion(form.id, tenantId, ctx.state.highestDeletedFormVersion(form.id, tenantId)),
      formKey: ctx.nextKey(),
      resourceName,
      checksum: sum,
      resource,
      versionTag: form.versionTag ?? '',
      deploymentKey,
      tenantId,
    };
    ctx.event('FORM', 'CREATED', formValue.formKey, formValue);
    formMetadata.push({ ...formMetadataOf(formValue), duplicate: false });
  }

  const decisions = deployDecisions(ctx, decisionPlan.plan, deploymentKey, tenantId);

  const deployed: DeploymentValue = {
    resources: value.resources,
    processesMetadata: metadata,
    formMetadata,
    decisionRequirementsMetadata: decisions.requirements,
    decisionsMetadata: decisions.decisions,
    tenantId,
  };
  ctx.event('DEPLOYMENT', 'CREATED', deploymentKey, deployed);
  for (const { key, process } of created) scheduleStartTimers(ctx, key, process, tenantId);
  ctx.onCommit.push(() => {
    for (const { key, process } of created) ctx.models.put(key, process);
  });
  for (let partitionId = 1; partitionId <= ctx.config.partitionCount; partitionId++) {
    if (partitionId === ctx.partitionId) continue;
    const distribution: CommandDistributionValue = { partitionId, valueType: 'DEPLOYMENT', intent: 'CREATE', commandValue: deployed };
    ctx.event('COMMAND_DISTRIBUTION', 'DISTRIBUTING', deploymentKey, distribution);
    ctx.send({ partitionId, valueType: 'DEPLOYMENT', intent: 'CREATE', key: deploymentKey, value: deployed });
  }
  ctx.respond(deploymentKey, deployed);
}

function metadataOf(process: ProcessValue): Omit<ProcessMetadataValue, 'duplicate'> {
  return {
    bpmnProcessId: process.bpmnProcessId,
    version: process.version,
    processDefinitionKey: process.processDefinitionKey,
    resourceName: process.resourceName,
    checksum: process.checksum,
    tenantId: process.tenantId,
  };
}

function formMetadataOf(form: FormValue): Omit<FormMetadataValue, 'duplicate'> {
  return {
    formId: form.formId,
    version: form.version,
    formKey: form.formKey,
    resourceName: form.resourceName,
    checksum: form.checksum,
    deploymentKey: form.deploymentKey,
    tenantId: form.tenantId,
  };
}

/** Another partition deployed; store the same definitions under the same keys, once. */
function receiveDistributed(ctx: ProcessingContext, deploymentKey: bigint, value: DeploymentValue, attachment: DeploymentAttachment): void {
  const created: Array<{ key: bigint; process: ExecutableProcess }> = [];
  let changed = false;
  for (const meta of value.processesMetadata) {
    if (meta.duplicate || ctx.state.processes.get(meta.processDefinitionKey)) continue;
    const resource = value.resources.find((r) => r.resourceName === meta.resourceName)!;
    const compiled = attachment.compiled.get(meta.resourceName)!;
    const process = compiled.ok ? compiled.resource.processes.find((p) => p.id === meta.bpmnProcessId) : undefined;
    if (!process) throw new Error(`Distributed deployment ${deploymentKey} lacks process '${meta.bpmnProcessId}'`);
    const processValue: ProcessValue = { ...meta, resource: resource.resource, deploymentKey };
    delete (processValue as Partial<ProcessMetadataValue>).duplicate;
    ctx.event('PROCESS', 'CREATED', meta.processDefinitionKey, processValue);
    created.push({ key: meta.processDefinitionKey, process });
    changed = true;
  }
  for (const meta of value.formMetadata ?? []) {
    if (meta.duplicate || ctx.state.forms.get(meta.formKey)) continue;
    const resource = value.resources.find((r) => r.resourceName === meta.resourceName)!;
    const compiled = attachment.compiled.get(meta.resourceName)!;
    const form = compiled.ok ? compiled.resource.form : undefined;
    if (!form) throw new Error(`Distributed deployment ${deploymentKey} lacks form '${meta.formId}'`);
    const { duplicate: _duplicate, ...rest } = meta;
    ctx.event('FORM', 'CREATED', meta.formKey, { ...rest, resource: resource.resource, versionTag: form.versionTag ?? '' } satisfies FormValue);
    changed = true;
  }
  if (receiveDistributedDecisions(ctx, value)) changed = true;
  if (changed) ctx.event('DEPLOYMENT', 'CREATED', deploymentKey, value);
  else ctx.discard();
  ctx.onCommit.push(() => {
    for (const { key, process } of created) ctx.models.put(key, process);
  });
  const ack: CommandDistributionValue = { partitionId: ctx.partitionId, valueType: 'DEPLOYMENT', intent: 'CREATE', commandValue: null };
  ctx.send({ partitionId: 1, valueType: 'COMMAND_DISTRIBUTION', intent: 'ACKNOWLEDGE', key: deploymentKey, value: ack });
}

export function commandDistributionAcknowledge(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CommandDistributionValue;
  const pending = ctx.state.distributions.get(`${command.key}:${value.partitionId}`);
  if (!pending) {
    ctx.discard();
    return;
  }
  ctx.event('COMMAND_DISTRIBUTION', 'ACKNOWLEDGED', command.key, pending.value);
}

function startTimerProblem(process: ExecutableProcess, now: number): string | null {
  for (const start of timerStartEvents(process)) {
    const planned = planTimer(start, {}, now);
    if (!planned.ok) return `- ${planned.message}`;
  }
  return null;
}

/**
 * A new version replaces the start timers of the previous ones of its tenant (as in Zeebe); its
 * own timer start events are scheduled now. They live on the deploying partition only: each due
 * timer starts one instance there.
 */
function scheduleStartTimers(ctx: ProcessingContext, processDefinitionKey: bigint, process: ExecutableProcess, tenantId: string): void {
  for (const timerKey of ctx.state.timers.ofElementInstance(-1n)) {
    const timer = ctx.state.timers.get(timerKey)!;
    const previous = ctx.state.processes.get(timer.value.processDefinitionKey)?.value;
    if (previous?.bpmnProcessId === process.id && tenantOf(previous.tenantId) === tenantId) ctx.event('TIMER', 'CANCELED', timerKey, timer.value);
  }
  for (const start of timerStartEvents(process)) {
    const planned = planTimer(start, {}, ctx.now);
    if (!planned.ok) continue; // checked before anything was written
    const timer: TimerValue = {
      elementInstanceKey: -1n,
      processInstanceKey: -1n,
      processDefinitionKey,
      dueDate: planned.value.dueDate,
      targetElementId: start.id,
      repetitions: planned.value.repetitions,
      interval: planned.value.interval,
      ...(planned.value.cron ? { cron: planned.value.cron } : {}),
      tenantId,
    };
    ctx.event('TIMER', 'CREATED', ctx.nextKey(), timer);
  }
}
