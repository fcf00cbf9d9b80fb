/** Compiles one executable `bpmn:process` into an `ExecutableProcess`. */
import type { ExecutableElement, ExecutableProcess } from './types.js';
import { freezeDraft, newDraft, TASK_TYPES, type ElementDraft } from './element-draft.js';
import type { ErrorCollector } from './error-collector.js';
import { readFlowNode, type ProcessContext } from './flow-nodes.js';
import { elementProp, elementsProp, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';
import { unresolvedRef, type UnresolvedReferences } from './moddle-reader.js';
import { wireSequenceFlows, type FlowSource, type NodeEntry } from './sequence-flows.js';

/** Zeebe refuses longer ids; they end up in keys, records and exporters. */
const MAX_ID_LENGTH = 255;

/** Not executable, so not our concern: data, and the modeling-only artifacts live elsewhere. */
const IGNORED_FLOW_ELEMENTS = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

export function compileProcess(
  process: ModdleElement,
  errors: ErrorCollector,
  unresolved: UnresolvedReferences,
): ExecutableProcess | null {
  const processId = process.id;
  if (processId === undefined || processId.trim() === '') {
    errors.raw(null, 'An executable process must have an id');
    return null;
  }
  checkId(errors, processId);
  const ctx: ProcessContext = { errors, processId, unresolved };

  if (extensionsOfType(process, 'zeebe:ExecutionListeners').length > 0) {
    errors.element(processId, 'execution listeners (zeebe:executionListeners) are not supported yet');
  }
  if (extensionsOfType(process, 'zeebe:IoMapping').length > 0) {
    errors.element(processId, 'input/output mappings (zeebe:ioMapping) are not supported on a process');
  }
  const versionTagElement = extensionsOfType(process, 'zeebe:VersionTag')[0];
  const versionTag = (versionTagElement && stringProp(versionTagElement, 'value')) ?? null;

  const nodes = new Map<string, NodeEntry>();
  const scopeIds = new Set<string>();
  const flowSources: FlowSource[] = [];
  for (const element of elementsProp(process, 'flowElements')) {
    const id = element.id;
    if (id === undefined || id.trim() === '') {
      errors.raw(null, `An element of type '${element.$type}' in process '${processId}' has no id`);
      continue;
    }
    checkId(errors, id);
    scopeIds.add(id);
    if (element.$type === 'bpmn:SequenceFlow') flowSources.push({ id, element });
    else if (!IGNORED_FLOW_ELEMENTS.has(element.$type)) {
      const draft = readFlowNode(ctx, element, id);
      if (draft) nodes.set(id, { draft, element });
    }
  }

  const flows = wireSequenceFlows(ctx, flowSources, nodes, scopeIds);
  attachBoundaryEvents(ctx, nodes, scopeIds);
  const noneStartEventId = findNoneStartEvent(ctx, nodes);

  const elements = new Map<string, ExecutableElement>();
  const processDraft = newDraft(processId, stringProp(process, 'name') ?? null, 'PROCESS', 'UNSPECIFIED', null);
  processDraft.noneStartEventId = noneStartEventId;
  elements.set(processId, freezeDraft(processDraft));
  for (const [id, { draft }] of nodes) elements.set(id, freezeDraft(draft));
  if (noneStartEventId === null) return null;
  return Object.freeze({ id: processId, name: processDraft.name, elements, flows, versionTag });
}

function checkId(errors: ErrorCollector, id: string): void {
  if (id.length > MAX_ID_LENGTH) {
    errors.element(id, `the id is longer than ${MAX_ID_LENGTH} characters`);
  }
}

function findNoneStartEvent(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>): string | null {
  const starts = [...nodes.values()]
    .filter(({ draft }) => draft.type === 'START_EVENT' && draft.eventType === 'NONE')
    .map(({ draft }) => draft.id);
  if (starts.length === 1) return starts[0]!;
  ctx.errors.element(
    ctx.processId,
    starts.length === 0
      ? 'a process must have exactly one none start event (a start event without event definition), but has none'
      : `a process must have exactly one none start event, but has ${starts.length}: ${starts.map((s) => `'${s}'`).join(', ')}`,
  );
  return null;
}

function attachBoundaryEvents(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>, scopeIds: ReadonlySet<string>): void {
  const { errors } = ctx;
  const byActivity = new Map<string, ElementDraft[]>();
  for (const { draft, element } of nodes.values()) {
    if (draft.type !== 'BOUNDARY_EVENT') continue;
    const ref = elementProp(element, 'attachedToRef');
    if (!ref) {
      const dangling = unresolvedRef(ctx.unresolved, element, 'attachedToRef');
      errors.element(
        draft.id,
        dangling === undefined
          ? 'a boundary event must be attached to an activity (attachedToRef)'
          : `the attachedToRef '${dangling}' does not reference an element of process '${ctx.processId}'`,
      );
      continue;
    }
    const activityId = ref.id ?? '';
    if (!scopeIds.has(activityId)) {
      errors.element(draft.id, `the attachedToRef '${activityId}' does not reference an element of process '${ctx.processId}'`);
      continue;
    }
    const activity = nodes.get(activityId);
    if (!activity) continue; // refused element, already reported
    if (!TASK_TYPES.has(activity.draft.type)) {
      errors.element(draft.id, `a boundary event must be attached to a task, but '${activityId}' is a ${ref.$type}`);
      continue;
    }
    draft.attachedToId = activityId;
    activity.draft.boundaryEventIds.push(draft.id);
    byActivity.set(activityId, [...(byActivity.get(activityId) ?? []), draft]);
  }
  for (const [activityId, events] of byActivity) checkCompetingBoundaryEvents(ctx, activityId, events);
}

/** Zeebe refuses boundary events that would compete for the same message or error. */
function checkCompetingBoundaryEvents(ctx: ProcessContext, activityId: string, events: readonly ElementDraft[]): void {
  const messageNames = new Set<string>();
  const errorCodes = new Set<string>();
  let catchAll = 0;
  for (const event of events) {
    if (event.message) {
      const name = event.message.name.kind === 'static' ? event.message.name.value : `=${event.message.name.source}`;
      if (messageNames.has(name)) {
        ctx.errors.element(activityId, `has more than one message boundary event for the message name '${name}'`);
      }
      messageNames.add(name);
    }
    if (event.error) {
      const code = event.error.errorCode;
      if (code === null) catchAll += 1;
      else if (errorCodes.has(code)) {
        ctx.errors.element(activityId, `has more than one error boundary event for the error code '${code}'`);
      } else errorCodes.add(code);
    }
  }
  if (catchAll > 1) {
    ctx.errors.element(activityId, 'has more than one error boundary event without an error code; only one may catch all errors');
  }
}
