/** Compiles one executable `bpmn:process` into an `ExecutableProcess`. */
import type { ExecutableElement, ExecutableProcess } from './types.js';
import { wireCompensation } from './compensation.js';
import { ACTIVITY_TYPES, freezeDraft, newDraft, type ElementDraft } from './element-draft.js';
import type { ErrorCollector } from './error-collector.js';
import { checkAdHocContents } from './ad-hoc.js';
import { readExecutionListeners } from './execution-listeners.js';
import { readFlowNode, type ProcessContext } from './flow-nodes.js';
import { splitMultiInstance } from './multi-instance.js';
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
  /** Associations drawn outside the process (a collaboration's artifacts). */
  outsideAssociations: readonly ModdleElement[] = [],
): ExecutableProcess | null {
  const processId = process.id;
  if (processId === undefined || processId.trim() === '') {
    errors.raw(null, 'An executable process must have an id');
    return null;
  }
  checkId(errors, processId);
  const ctx: ProcessContext = { errors, processId, unresolved, eventSubProcessIds: new Set() };

  const processListeners = readExecutionListeners(errors, process, processId) ?? [];
  if (extensionsOfType(process, 'zeebe:IoMapping').length > 0) {
    errors.element(processId, 'input/output mappings (zeebe:ioMapping) are not supported on a process');
  }
  const versionTagElement = extensionsOfType(process, 'zeebe:VersionTag')[0];
  const versionTag = (versionTagElement && stringProp(versionTagElement, 'value')) ?? null;

  const read: ReadScopes = { nodes: new Map(), scopeIds: new Set(), flowSources: [], subProcesses: [], eventSubProcesses: [], adHocSubProcesses: [], associations: [...outsideAssociations] };
  readScope(ctx, process, processId, read);
  const { nodes, scopeIds } = read;

  const flows = wireSequenceFlows(ctx, read.flowSources, nodes, scopeIds);
  attachBoundaryEvents(ctx, nodes, scopeIds);
  wireCompensation(ctx, nodes, read.associations);
  resolveLinks(ctx, nodes);
  computeJoinUpstream(ctx, nodes, flows);
  // A process needs a none start event unless a timer or message starts it; sub-processes always do.
  const eventStarts = [...nodes.values()].filter(({ draft }) => draft.flowScopeId === processId && draft.type === 'START_EVENT' && draft.eventType !== 'NONE');
  const noneStartEventId = findNoneStartEvent(ctx, nodes, processId, eventStarts.length > 0);
  checkMessageStarts(ctx, eventStarts.map(({ draft }) => draft));
  checkConditionalStarts(ctx, eventStarts.map(({ draft }) => draft));
  let startsFound = noneStartEventId !== null || eventStarts.length > 0;
  for (const subProcess of read.subProcesses) {
    subProcess.noneStartEventId = findNoneStartEvent(ctx, nodes, subProcess.id);
    if (subProcess.noneStartEventId === null) startsFound = false;
  }
  for (const adHoc of read.adHocSubProcesses) checkAdHocContents(errors, adHoc, [...nodes.values()].map(({ draft }) => draft));
  const processEventStarts: string[] = [];
  for (const esp of read.eventSubProcesses) {
    const start = eventSubProcessStart(ctx, nodes, esp);
    if (start === null) {
      startsFound = false;
      continue;
    }
    if (esp.flowScopeId === processId) processEventStarts.push(start);
    else {
      const scope = nodes.get(esp.flowScopeId!)?.draft;
      if (scope) scope.eventSubProcessStartIds.push(start);
    }
  }

  const elements = new Map<string, ExecutableElement>();
  const processDraft = newDraft(processId, stringProp(process, 'name') ?? null, 'PROCESS', 'UNSPECIFIED', null);
  processDraft.noneStartEventId = noneStartEventId;
  processDraft.eventSubProcessStartIds = processEventStarts;
  processDraft.executionListeners = processListeners;
  elements.set(processId, freezeDraft(processDraft));
  for (const [id, { draft }] of nodes) {
    // Each activation inside an ad-hoc sub-process runs in an inner instance of this element.
    if (draft.adHoc) elements.set(draft.adHoc.innerInstanceId, freezeDraft(newDraft(draft.adHoc.innerInstanceId, null, 'AD_HOC_SUB_PROCESS_INNER_INSTANCE', 'UNSPECIFIED', id)));
    if (!draft.multiInstance) elements.set(id, freezeDraft(draft));
    else {
      const { body, inner } = splitMultiInstance(draft);
      elements.set(id, freezeDraft({ ...body, innerActivity: freezeDraft(inner) }));
    }
  }
  if (!startsFound) return null;
  return Object.freeze({ id: processId, name: processDraft.name, elements, flows, versionTag });
}

/** What reading the process and its embedded sub-processes collects, every scope together. */
interface ReadScopes {
  readonly nodes: Map<string, NodeEntry>;
  /** Every flow element id of the process, in any scope (supported or not). */
  readonly scopeIds: Set<string>;
  readonly flowSources: FlowSource[];
  readonly subProcesses: ElementDraft[];
  readonly eventSubProcesses: ElementDraft[];
  readonly adHocSubProcesses: ElementDraft[];
  /** `bpmn:association` artifacts of every scope: they link compensation boundary events to their handlers. */
  readonly associations: ModdleElement[];
}

/** Reads the flow elements of one scope (the process or an embedded sub-process), and those of the sub-processes in it. */
function readScope(ctx: ProcessContext, container: ModdleElement, scopeId: string, read: ReadScopes): void {
  const { errors, processId } = ctx;
  read.associations.push(...elementsProp(container, 'artifacts').filter((artifact) => artifact.$type === 'bpmn:Association'));
  for (const element of elementsProp(container, 'flowElements')) {
    const id = element.id;
    if (id === undefined || id.trim() === '') {
      errors.raw(null, `An element of type '${element.$type}' in process '${processId}' has no id`);
      continue;
    }
    checkId(errors, id);
    read.scopeIds.add(id);
    if (element.$type === 'bpmn:SequenceFlow') read.flowSources.push({ id, element });
    else if (!IGNORED_FLOW_ELEMENTS.has(element.$type)) {
      const draft = readFlowNode(ctx, element, id, scopeId);
      if (!draft) continue;
      read.nodes.set(id, { draft, element });
      if (draft.type === 'SUB_PROCESS') {
        read.subProcesses.push(draft);
        readScope(ctx, element, id, read);
      }
      if (draft.type === 'EVENT_SUB_PROCESS') {
        read.eventSubProcesses.push(draft);
        readScope(ctx, element, id, read);
      }
      if (draft.type === 'AD_HOC_SUB_PROCESS') {
        read.adHocSubProcesses.push(draft);
        readScope(ctx, element, id, read);
      }
    }
  }
}

/**
 * Link events: within one scope, each catch name is unique and each throw continues at the
 * catch of its name. A catch is entered only by its throws, a throw leaves only through its
 * catch: sequence flows into a catch or out of a throw are refused.
 */
function resolveLinks(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>): void {
  const catches = new Map<string, ElementDraft>();
  for (const { draft } of nodes.values()) {
    if (draft.type !== 'INTERMEDIATE_CATCH_EVENT' || !draft.link) continue;
    const key = `${draft.flowScopeId}\u0000${draft.link.name}`;
    const other = catches.get(key);
    if (other) ctx.errors.element(draft.id, `the link name '${draft.link.name}' is already used by the link catch event '${other.id}' in the same scope`);
    else catches.set(key, draft);
    if (draft.incoming.length > 0) ctx.errors.element(draft.id, 'a link catch event cannot have incoming sequence flows');
  }
  for (const { draft } of nodes.values()) {
    if (draft.type !== 'INTERMEDIATE_THROW_EVENT' || !draft.link) continue;
    const target = catches.get(`${draft.flowScopeId}\u0000${draft.link.name}`);
    if (!target) ctx.errors.element(draft.id, `no link catch event named '${draft.link.name}' in the same scope`);
    else draft.link = { name: draft.link.name, catchId: target.id };
    if (draft.outgoing.length > 0) ctx.errors.element(draft.id, 'a link throw event cannot have outgoing sequence flows');
  }
}

/**
 * For each joining inclusive or complex gateway, the elements a token can still come from:
 * walking backwards over flows (from boundary events to their activity, and from a link catch
 * event to the link throw events that continue there), within the scope. A complex gateway
 * also gets this per incoming flow, for its reset phase.
 */
function computeJoinUpstream(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>, flows: ReadonlyMap<string, { sourceId: string; targetId: string }>): void {
  const linkThrows = new Map<string, string[]>();
  for (const { draft } of nodes.values()) {
    const catchId = draft.type === 'INTERMEDIATE_THROW_EVENT' ? draft.link?.catchId : null;
    if (catchId) linkThrows.set(catchId, [...(linkThrows.get(catchId) ?? []), draft.id]);
  }
  const upstreamOf = (gatewayId: string, starts: readonly string[]): string[] => {
    const seen = new Set<string>();
    const stack = [...starts];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === gatewayId || seen.has(id)) continue;
      seen.add(id);
      const node = nodes.get(id)?.draft;
      if (!node) continue;
      for (const flowId of node.incoming) stack.push(flows.get(flowId)!.sourceId);
      if (node.attachedToId) stack.push(node.attachedToId);
      stack.push(...(linkThrows.get(id) ?? []));
    }
    return [...seen].sort();
  };
  for (const { draft } of nodes.values()) {
    if (draft.type === 'COMPLEX_GATEWAY') {
      if (draft.incoming.length > 1 && draft.activationCondition === null) {
        ctx.errors.element(draft.id, 'a complex gateway that joins (more than one incoming sequence flow) must have an activationCondition');
        continue;
      }
      if (draft.activationCondition === null) continue;
      const byFlow: Record<string, readonly string[]> = {};
      for (const flowId of draft.incoming) byFlow[flowId] = upstreamOf(draft.id, [flows.get(flowId)!.sourceId]);
      draft.flowUpstream = byFlow;
      draft.joinUpstream = upstreamOf(draft.id, draft.incoming.map((flowId) => flows.get(flowId)!.sourceId));
      continue;
    }
    if (draft.type !== 'INCLUSIVE_GATEWAY' || draft.incoming.length < 2) continue;
    draft.joinUpstream = upstreamOf(draft.id, draft.incoming.map((flowId) => flows.get(flowId)!.sourceId));
  }
}

/**
 * An event sub-process starts at exactly one start event, which has a timer, message, error or
 * escalation definition; it has no sequence flows of its own in or out.
 */
function eventSubProcessStart(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>, esp: ElementDraft): string | null {
  if (esp.incoming.length > 0 || esp.outgoing.length > 0) {
    ctx.errors.element(esp.id, 'an event sub-process cannot have incoming or outgoing sequence flows');
  }
  const starts = [...nodes.values()].filter(({ draft }) => draft.flowScopeId === esp.id && draft.type === 'START_EVENT').map(({ draft }) => draft);
  if (starts.length !== 1) {
    ctx.errors.element(esp.id, `an event sub-process must have exactly one start event, but has ${starts.length}`);
    return null;
  }
  const start = starts[0]!;
  if (start.eventType === 'NONE') {
    ctx.errors.element(start.id, 'the start event of an event sub-process must have a timer, message, signal, conditional, error or escalation definition');
    return null;
  }
  return start.id;
}

/** Two message start events of one process may not wait for the same message. */
function checkMessageStarts(ctx: ProcessContext, starts: readonly ElementDraft[]): void {
  const names = new Map<string, string>();
  for (const start of starts) {
    if (!start.message || start.message.name.kind !== 'static') continue;
    const other = names.get(start.message.name.value);
    if (other) ctx.errors.element(start.id, `the message '${start.message.name.value}' already starts the process at '${other}'`);
    else names.set(start.message.name.value, start.id);
  }
}

/** Camunda refuses two conditional start events of one process with the same condition. */
function checkConditionalStarts(ctx: ProcessContext, starts: readonly ElementDraft[]): void {
  const conditions = new Map<string, string>();
  for (const start of starts) {
    if (!start.conditional || start.conditional.condition.kind !== 'feel') continue;
    const source = start.conditional.condition.source.trim();
    const other = conditions.get(source);
    if (other) ctx.errors.element(start.id, `the condition '=${source}' already starts the process at '${other}'; conditions of conditional start events must be unique`);
    else conditions.set(source, start.id);
  }
}

function checkId(errors: ErrorCollector, id: string): void {
  if (id.length > MAX_ID_LENGTH) {
    errors.element(id, `the id is longer than ${MAX_ID_LENGTH} characters`);
  }
}

/** The one none start event of a scope (the process, or an embedded sub-process); `optional` when other start events start it. */
function findNoneStartEvent(ctx: ProcessContext, nodes: ReadonlyMap<string, NodeEntry>, scopeId: string, optional = false): string | null {
  const starts = [...nodes.values()]
    .filter(({ draft }) => draft.flowScopeId === scopeId && draft.type === 'START_EVENT' && draft.eventType === 'NONE')
    .map(({ draft }) => draft.id);
  if (starts.length === 1) return starts[0]!;
  if (starts.length === 0 && optional) return null;
  const kind = scopeId === ctx.processId ? 'a process' : 'an embedded sub-process';
  ctx.errors.element(
    scopeId,
    starts.length === 0
      ? `${kind} must have exactly one none start event (a start event without event definition), but has none`
      : `${kind} must have exactly one none start event, but has ${starts.length}: ${starts.map((s) => `'${s}'`).join(', ')}`,
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
    if (!ACTIVITY_TYPES.has(activity.draft.type)) {
      errors.element(draft.id, `a boundary event must be attached to a task or a sub-process, but '${activityId}' is a ${ref.$type}`);
      continue;
    }
    if (activity.draft.flowScopeId !== draft.flowScopeId) {
      errors.element(draft.id, `a boundary event must be in the same scope as the activity it is attached to ('${activityId}')`);
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
