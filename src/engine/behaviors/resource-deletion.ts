/**
 * What DeleteResource can delete, found by key: a process definition, a version of decision
 * requirements (a DMN document, with every decision in it) or a form, as Zeebe's resource deletion
 * looks them up. A decision's own key is not a resource: only its document's key deletes it.
 * Decisions and forms go at once (nothing runs on them); a process definition waits for its
 * instances (`process-definitions.ts`).
 */
import type { ProcessingContext } from '../processing/context.js';
import type { DecisionRequirementsValue } from '../records.js';
import type { DecisionRequirementsRow } from '../state/decisions.js';
import type { EngineState } from '../state/engine-state.js';
import type { FormRow } from '../state/forms.js';
import type { ProcessRow } from '../state/types.js';
import { deleteProcessDefinition } from './process-definitions.js';

export type DeletableResource =
  | { readonly kind: 'process'; readonly row: ProcessRow }
  | { readonly kind: 'decisionRequirements'; readonly row: DecisionRequirementsRow }
  | { readonly kind: 'form'; readonly row: FormRow };

/** The resource a key names, unless it is gone or (a process definition) already being deleted. */
export function deletableResource(state: EngineState, resourceKey: bigint): DeletableResource | undefined {
  const process = state.processes.usable(resourceKey);
  if (process) return { kind: 'process', row: process };
  const requirements = state.decisions.requirementsOf(resourceKey);
  if (requirements) return { kind: 'decisionRequirements', row: requirements };
  const form = state.forms.get(resourceKey);
  if (form) return { kind: 'form', row: form };
  return undefined;
}

/** Whether this partition ever had the resource (also a process definition still being deleted). */
export function knewResource(state: EngineState, resourceKey: bigint): boolean {
  return state.processes.get(resourceKey) !== undefined || state.wasDeleted(resourceKey);
}

export function tenantOf(resource: DeletableResource): string {
  return resource.row.value.tenantId;
}

/** Deletes the resource; `startEventsHere`: this partition holds process start timers. */
export function deleteResource(ctx: ProcessingContext, resource: DeletableResource, startEventsHere: boolean): void {
  switch (resource.kind) {
    case 'process':
      deleteProcessDefinition(ctx, resource.row, startEventsHere);
      return;
    case 'decisionRequirements':
      deleteDecisionRequirements(ctx, resource.row);
      return;
    case 'form':
      // Tasks that already hold the form's key keep it; only lookups by id and binding change.
      ctx.event('FORM', 'DELETED', ctx.nextKey(), resource.row.value);
      return;
  }
}

/**
 * Every decision of the document, then the document. Each version index follows its table, so the
 * previous version of each id is the latest again (binding type `latest`, EvaluateDecision by id).
 */
function deleteDecisionRequirements(ctx: ProcessingContext, row: DecisionRequirementsRow): void {
  for (const decision of ctx.state.decisions.ofRequirements(row.key)) ctx.event('DECISION', 'DELETED', ctx.nextKey(), decision.value);
  const value: DecisionRequirementsValue = row.value;
  ctx.event('DECISION_REQUIREMENTS', 'DELETED', ctx.nextKey(), value);
  ctx.onCommit.push(() => ctx.models.dropDecisionModel(row.key));
}
