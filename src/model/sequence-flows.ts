/**
 * Sequence flows: endpoints in the same scope (the process, or one embedded sub-process), conditions only where Zeebe evaluates them
 * (exclusive and inclusive gateways), and their default-flow rules.
 */
import type { Expression } from '../feel/expression.js';
import type { ExecutableSequenceFlow } from './types.js';
import type { ElementDraft } from './element-draft.js';
import { readExpression } from './expressions.js';
import type { ProcessContext } from './flow-nodes.js';
import { elementProp, expressionBody, type ModdleElement } from './moddle-element.js';
import { unresolvedRef } from './moddle-reader.js';

export interface NodeEntry {
  readonly draft: ElementDraft;
  readonly element: ModdleElement;
}

export interface FlowSource {
  readonly id: string;
  readonly element: ModdleElement;
}

/** Every flow element id of the process (supported or not), to tell "elsewhere" from "refused". */
export type ScopeIds = ReadonlySet<string>;

export function wireSequenceFlows(
  ctx: ProcessContext,
  flowSources: readonly FlowSource[],
  nodes: ReadonlyMap<string, NodeEntry>,
  scopeIds: ScopeIds,
): Map<string, ExecutableSequenceFlow> {
  const { errors } = ctx;
  const flows = new Map<string, ExecutableSequenceFlow>();
  const refusedIncoming = new Set<string>();
  const refusedOutgoing = new Set<string>();

  for (const { id, element } of flowSources) {
    const condition = readCondition(ctx, id, element);
    const source = endpoint(ctx, id, element, 'sourceRef', nodes, scopeIds);
    const target = endpoint(ctx, id, element, 'targetRef', nodes, scopeIds);
    if (!source || !target) continue;
    if (source.flowScopeId !== target.flowScopeId) {
      errors.element(id, `a sequence flow must connect elements of the same scope, but '${source.id}' is in '${source.flowScopeId}' and '${target.id}' in '${target.flowScopeId}'`);
      continue;
    }

    if (target.type === 'BOUNDARY_EVENT' || target.type === 'START_EVENT') {
      if (!refusedIncoming.has(target.id)) {
        const kind = target.type === 'BOUNDARY_EVENT' ? 'a boundary event' : 'a start event';
        errors.element(target.id, `${kind} cannot have incoming sequence flows (found '${id}')`);
        refusedIncoming.add(target.id);
      }
      continue;
    }
    if (source.type === 'END_EVENT') {
      if (!refusedOutgoing.has(source.id)) {
        errors.element(source.id, `an end event cannot have outgoing sequence flows (found '${id}')`);
        refusedOutgoing.add(source.id);
      }
      continue;
    }
    if (condition && source.type !== 'EXCLUSIVE_GATEWAY' && source.type !== 'INCLUSIVE_GATEWAY' && source.type !== 'COMPLEX_GATEWAY') {
      errors.element(
        id,
        `a condition is only allowed on sequence flows leaving an exclusive, inclusive or complex gateway, but this flow leaves '${source.id}'`,
      );
    }
    source.outgoing.push(id);
    target.incoming.push(id);
    flows.set(id, Object.freeze({ id, sourceId: source.id, targetId: target.id, condition: condition ?? null }));
  }

  for (const { draft, element } of nodes.values()) {
    if (draft.type === 'EXCLUSIVE_GATEWAY' || draft.type === 'INCLUSIVE_GATEWAY' || draft.type === 'COMPLEX_GATEWAY') checkExclusiveGateway(ctx, draft, element, flows);
    if (draft.type === 'EVENT_BASED_GATEWAY') checkEventBasedGateway(ctx, draft, nodes, flows);
  }
  return flows;
}

function readCondition(ctx: ProcessContext, flowId: string, flow: ModdleElement): Expression | undefined {
  const body = expressionBody(flow, 'conditionExpression');
  if (body === undefined) return undefined;
  if (body.trim() === '') {
    ctx.errors.element(flowId, 'the condition expression must not be empty');
    return undefined;
  }
  // Zeebe requires conditions to be FEEL (`=…`); a bare `x > 5` is refused, not guessed at.
  return readExpression(ctx.errors, flowId, body, 'the condition', { feelOnly: true }) ?? undefined;
}

function endpoint(
  ctx: ProcessContext,
  flowId: string,
  flow: ModdleElement,
  property: 'sourceRef' | 'targetRef',
  nodes: ReadonlyMap<string, NodeEntry>,
  scopeIds: ScopeIds,
): ElementDraft | null {
  const { errors } = ctx;
  const ref = elementProp(flow, property);
  if (!ref) {
    const dangling = unresolvedRef(ctx.unresolved, flow, property);
    errors.element(
      flowId,
      dangling === undefined
        ? `a sequence flow must have a ${property}`
        : `the ${property} '${dangling}' does not reference an element of process '${ctx.processId}'`,
    );
    return null;
  }
  const refId = ref.id ?? '';
  if (!scopeIds.has(refId)) {
    errors.element(flowId, `the ${property} '${refId}' does not reference an element of process '${ctx.processId}'`);
    return null;
  }
  const node = nodes.get(refId);
  if (node) return node.draft;
  if (ref.$type === 'bpmn:SequenceFlow' || ref.$type.startsWith('bpmn:Data')) {
    errors.element(flowId, `the ${property} '${refId}' references a ${ref.$type}, not a flow node`);
  }
  // Otherwise the element itself was refused and already reported.
  return null;
}

const GATEWAY_KIND: Readonly<Record<string, string>> = { EXCLUSIVE_GATEWAY: 'exclusive', INCLUSIVE_GATEWAY: 'inclusive', COMPLEX_GATEWAY: 'complex' };

function checkExclusiveGateway(
  ctx: ProcessContext,
  gateway: ElementDraft,
  element: ModdleElement,
  flows: ReadonlyMap<string, ExecutableSequenceFlow>,
): void {
  const { errors } = ctx;
  const defaultRef = elementProp(element, 'default');
  let defaultId: string | null = null;
  if (defaultRef) {
    defaultId = defaultRef.id ?? null;
    if (defaultId === null || !gateway.outgoing.includes(defaultId)) {
      errors.element(gateway.id, `the default flow '${defaultId ?? ''}' must be an outgoing sequence flow of this gateway`);
      defaultId = null;
    } else if (flows.get(defaultId)?.condition) {
      errors.element(gateway.id, `the default flow '${defaultId}' must not have a condition`);
    }
  } else {
    const dangling = unresolvedRef(ctx.unresolved, element, 'default');
    if (dangling !== undefined) {
      errors.element(gateway.id, `the default flow '${dangling}' must be an outgoing sequence flow of this gateway`);
    }
  }
  gateway.defaultFlowId = defaultId;
  if (gateway.outgoing.length <= 1) return;
  for (const flowId of gateway.outgoing) {
    if (flowId !== defaultId && !flows.get(flowId)?.condition) {
      errors.element(
        flowId,
        `a sequence flow leaving the ${GATEWAY_KIND[gateway.type] ?? 'exclusive'} gateway '${gateway.id}' must have a condition or be the gateway's default flow`,
      );
    }
  }
}

/** An event-based gateway waits for the first of the events its flows lead to: timer and message catch events. */
function checkEventBasedGateway(
  ctx: ProcessContext,
  gateway: ElementDraft,
  nodes: ReadonlyMap<string, NodeEntry>,
  flows: ReadonlyMap<string, ExecutableSequenceFlow>,
): void {
  const { errors } = ctx;
  if (gateway.outgoing.length < 2) {
    errors.element(gateway.id, `an event-based gateway must have at least two outgoing sequence flows, but has ${gateway.outgoing.length}`);
  }
  const messageNames = new Set<string>();
  for (const flowId of gateway.outgoing) {
    const target = nodes.get(flows.get(flowId)!.targetId)?.draft;
    if (!target) continue;
    if (target.type !== 'INTERMEDIATE_CATCH_EVENT' || !(target.timer || target.message || target.signal)) {
      errors.element(gateway.id, `an event-based gateway may only lead to timer, message or signal intermediate catch events, but '${target.id}' is not one`);
      continue;
    }
    if (target.message) {
      const name = target.message.name.kind === 'static' ? target.message.name.value : `=${target.message.name.source}`;
      if (messageNames.has(name)) errors.element(gateway.id, `leads to more than one message catch event for the message name '${name}'`);
      messageNames.add(name);
    }
    if (target.incoming.length > 1) errors.element(target.id, `an event after an event-based gateway can have no other incoming sequence flow`);
  }
}
