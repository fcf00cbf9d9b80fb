/**
 * Compensation, wired once the whole process is read. A compensation boundary event leads by a
 * `bpmn:association` to its handler: an activity marked `isForCompensation` in the same scope.
 * Handlers are entered only that way (activated by a compensation throw event), so they have no
 * sequence flows and no boundary events of their own. A throw event's `activityRef` names a
 * compensable activity of the scope it compensates.
 */
import { ACTIVITY_TYPES, type ElementDraft } from './element-draft.js';
import type { ProcessContext } from './flow-nodes.js';
import { elementProp, type ModdleElement } from './moddle-element.js';
import type { NodeEntry } from './sequence-flows.js';

const HANDLER_LINK = 'a bpmn:association to an activity with isForCompensation="true"';

function isCompensationBoundary(draft: ElementDraft | undefined): boolean {
  return draft !== undefined && draft.type === 'BOUNDARY_EVENT' && draft.eventType === 'COMPENSATION';
}

export function wireCompensation(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>, associations: readonly ModdleElement[]): void {
  const { errors } = ctx;
  // Which elements each compensation boundary event is associated with, in document order.
  const associated = new Map<string, string[]>();
  for (const association of associations) {
    const source = elementProp(association, 'sourceRef')?.id;
    const target = elementProp(association, 'targetRef')?.id;
    if (source === undefined || target === undefined || !isCompensationBoundary(nodes.get(source)?.draft)) continue;
    associated.set(source, [...(associated.get(source) ?? []), target]);
  }

  for (const { draft } of nodes.values()) {
    if (isCompensationBoundary(draft)) wireBoundary(ctx, nodes, draft, associated.get(draft.id) ?? []);
    if (draft.isForCompensation) {
      if (draft.incoming.length > 0) errors.element(draft.id, 'a compensation handler cannot have incoming sequence flows');
      if (draft.outgoing.length > 0) errors.element(draft.id, 'a compensation handler cannot have outgoing sequence flows');
      if (draft.boundaryEventIds.length > 0) errors.element(draft.id, 'a compensation handler cannot have boundary events');
    }
    const compensationBoundaries = draft.boundaryEventIds.filter((id) => isCompensationBoundary(nodes.get(id)?.draft));
    if (compensationBoundaries.length > 1) {
      errors.element(draft.id, `has more than one compensation boundary event: ${compensationBoundaries.map((id) => `'${id}'`).join(', ')}`);
    }
    if (draft.compensation?.activityRef) checkActivityRef(ctx, nodes, draft, draft.compensation.activityRef);
  }
}

function wireBoundary(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>, boundary: ElementDraft, targets: readonly string[]): void {
  const { errors } = ctx;
  if (boundary.outgoing.length > 0) errors.element(boundary.id, 'a compensation boundary event cannot have outgoing sequence flows; it leads to its handler by an association');
  if (targets.length !== 1) {
    errors.element(boundary.id, `a compensation boundary event must be associated with exactly one compensation handler (${HANDLER_LINK}), but has ${targets.length}`);
    return;
  }
  const handlerId = targets[0]!;
  const handler = nodes.get(handlerId)?.draft;
  if (!handler || !ACTIVITY_TYPES.has(handler.type)) {
    errors.element(boundary.id, `the compensation handler '${handlerId}' must be an activity (${HANDLER_LINK})`);
    return;
  }
  if (!handler.isForCompensation) {
    errors.element(boundary.id, `the compensation handler '${handlerId}' must be marked isForCompensation="true"`);
    return;
  }
  if (handler.flowScopeId !== boundary.flowScopeId) {
    errors.element(boundary.id, `the compensation handler '${handlerId}' must be in the same scope as the boundary event`);
    return;
  }
  boundary.compensation = { handlerId, activityRef: null };
}

/**
 * The referenced activity has a compensation boundary event and is in the scope the throw event
 * compensates: its own, or, inside an event sub-process, the scope around it too.
 */
function checkActivityRef(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>, thrower: ElementDraft, activityRef: string): void {
  const activity = nodes.get(activityRef)?.draft;
  const scopes = new Set([thrower.flowScopeId]);
  const scope = thrower.flowScopeId === null ? undefined : nodes.get(thrower.flowScopeId)?.draft;
  if (scope?.type === 'EVENT_SUB_PROCESS') scopes.add(scope.flowScopeId);
  const compensable = activity !== undefined && activity.boundaryEventIds.some((id) => isCompensationBoundary(nodes.get(id)?.draft));
  if (!activity || !scopes.has(activity.flowScopeId) || !compensable) {
    ctx.errors.element(thrower.id, `the activityRef '${activityRef}' must reference an activity with a compensation boundary event in the same scope as the compensation event`);
  }
}
