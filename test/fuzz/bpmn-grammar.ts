/**
 * BPMN documents from a grammar of the elements and attributes Zen reads: events (none, timer,
 * message, error, signal), tasks (service, user, script, business rule, call activity),
 * gateways, sub-processes, boundary events, multi-instance markers, mappings and headers,
 * joined by sequence flows whose references are usually right. Values are usually sensible
 * and sometimes not (FEEL from the grammar, odd timers).
 */
import fc from 'fast-check';
import { el, type XmlElement } from './xml-documents.js';
import { feelExpression } from './feel-grammar.js';

const NS = {
  'xmlns:bpmn': 'http://www.omg.org/spec/BPMN/20100524/MODEL',
  'xmlns:zeebe': 'http://camunda.org/schema/zeebe/1.0',
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
};

const KINDS = ['startEvent', 'endEvent', 'serviceTask', 'userTask', 'scriptTask', 'businessRuleTask', 'callActivity', 'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway', 'intermediateCatchEvent', 'intermediateThrowEvent', 'subProcess', 'receiveTask', 'task', 'boundaryEvent'] as const;

const expression = fc.oneof(feelExpression.map((e) => `=${e}`), fc.constantFrom('static', '=a', '=x > 1', 'PT1S', 'R3/PT1M', '2026-01-01T00:00:00Z', '0 0 * * * ?'));

interface NodeSpec {
  readonly kind: (typeof KINDS)[number];
  readonly definition: 'none' | 'timer' | 'message' | 'error' | 'signal' | 'escalation' | 'terminate';
  readonly expression: string;
  readonly other: string;
  readonly loop: boolean;
  readonly attachTo: number;
}

const nodeSpec: fc.Arbitrary<NodeSpec> = fc.record({
  kind: fc.constantFrom(...KINDS),
  definition: fc.constantFrom('none', 'none', 'timer', 'message', 'error', 'signal', 'escalation', 'terminate'),
  expression,
  other: expression,
  loop: fc.boolean(),
  attachTo: fc.nat(),
});

function eventDefinition(spec: NodeSpec, index: number): XmlElement[] {
  switch (spec.definition) {
    case 'none':
      return [];
    case 'timer':
      return [el('bpmn:timerEventDefinition', { id: `td${index}` }, el(index % 3 === 0 ? 'bpmn:timeCycle' : index % 3 === 1 ? 'bpmn:timeDuration' : 'bpmn:timeDate', { 'xsi:type': 'bpmn:tFormalExpression' }, spec.expression))];
    case 'message':
      return [el('bpmn:messageEventDefinition', { id: `md${index}`, messageRef: 'msg' })];
    case 'error':
      return [el('bpmn:errorEventDefinition', { id: `ed${index}`, errorRef: 'err' })];
    case 'signal':
      return [el('bpmn:signalEventDefinition', { id: `sd${index}`, signalRef: 'sig' })];
    case 'escalation':
      return [el('bpmn:escalationEventDefinition', { id: `xd${index}`, escalationRef: 'esc' })];
    case 'terminate':
      return [el('bpmn:terminateEventDefinition', { id: `tt${index}` })];
  }
}

function extensionsFor(spec: NodeSpec): XmlElement[] {
  const zeebe: XmlElement[] = [];
  switch (spec.kind) {
    case 'serviceTask':
      zeebe.push(el('zeebe:taskDefinition', { type: spec.expression, retries: spec.other.startsWith('=') ? spec.other : '3' }));
      zeebe.push(el('zeebe:taskHeaders', {}, el('zeebe:header', { key: 'k', value: spec.other })));
      break;
    case 'userTask':
      zeebe.push(el('zeebe:userTask'), el('zeebe:assignmentDefinition', { assignee: spec.expression, candidateGroups: spec.other }));
      break;
    case 'scriptTask':
      zeebe.push(el('zeebe:script', { expression: spec.expression, resultVariable: 'r' }));
      break;
    case 'businessRuleTask':
      zeebe.push(el('zeebe:calledDecision', { decisionId: spec.expression, resultVariable: 'd' }));
      break;
    case 'callActivity':
      zeebe.push(el('zeebe:calledElement', { processId: spec.expression, propagateAllChildVariables: 'false' }));
      break;
    case 'receiveTask':
      break;
    default:
      break;
  }
  zeebe.push(el('zeebe:ioMapping', {}, el('zeebe:input', { source: spec.expression, target: 'in' }), el('zeebe:output', { source: spec.other, target: 'out' })));
  const children: XmlElement[] = [el('bpmn:extensionElements', {}, ...zeebe)];
  if (spec.loop && spec.kind.endsWith('Task')) {
    children.push(el('bpmn:multiInstanceLoopCharacteristics', { isSequential: 'true' }, el('bpmn:extensionElements', {}, el('zeebe:loopCharacteristics', { inputCollection: spec.other, inputElement: 'e' }))));
  }
  return children;
}

function node(spec: NodeSpec, index: number, ids: readonly string[]): XmlElement {
  const id = ids[index]!;
  const attrs: Record<string, string> = { id, name: `Node ${index}` };
  const children: XmlElement[] = [...extensionsFor(spec)];
  if (['startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent'].includes(spec.kind)) children.push(...eventDefinition(spec, index));
  if (spec.kind === 'boundaryEvent') attrs.attachedToRef = ids[spec.attachTo % ids.length]!;
  if (spec.kind === 'receiveTask') attrs.messageRef = 'msg';
  if (spec.kind === 'exclusiveGateway' || spec.kind === 'inclusiveGateway') attrs.default = `f${index}`;
  if (spec.kind === 'subProcess') {
    children.push(el('bpmn:startEvent', { id: `${id}_s` }), el('bpmn:endEvent', { id: `${id}_e` }), el('bpmn:sequenceFlow', { id: `${id}_f`, sourceRef: `${id}_s`, targetRef: `${id}_e` }));
  }
  return el(`bpmn:${spec.kind}`, attrs, ...children);
}

/** A BPMN document and the ids in it (for mutations that point references elsewhere). */
const looseDocument: fc.Arbitrary<{ root: XmlElement; ids: readonly string[] }> = fc
  .tuple(
    fc.array(nodeSpec, { minLength: 1, maxLength: 12 }),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.option(expression, { nil: undefined })), { maxLength: 16 }),
    fc.constantFrom('p', 'order-process', 'P_1', ''),
  )
  .map(([specs, flows, processId]) => {
    const ids = specs.map((s, i) => (i === 0 ? 'start' : `n${i}`));
    // Most documents start with a none start event, so that deeper checks get a chance.
    const nodes = specs.map((spec, i) => node(i === 0 ? { ...spec, kind: 'startEvent', definition: 'none' } : spec, i, ids));
    const sequenceFlows = flows.map(([from, to, condition], i) =>
      el('bpmn:sequenceFlow', { id: `f${i}`, sourceRef: ids[from % ids.length]!, targetRef: ids[to % ids.length]! }, ...(condition ? [el('bpmn:conditionExpression', { 'xsi:type': 'bpmn:tFormalExpression' }, condition)] : [])),
    );
    const root = el(
      'bpmn:definitions',
      { ...NS, id: 'defs', targetNamespace: 'fuzz' },
      el('bpmn:message', { id: 'msg', name: 'fuzz-message' }, el('bpmn:extensionElements', {}, el('zeebe:subscription', { correlationKey: '=a' }))),
      el('bpmn:error', { id: 'err', errorCode: 'E' }),
      el('bpmn:signal', { id: 'sig', name: 'fuzz-signal' }),
      el('bpmn:escalation', { id: 'esc', escalationCode: 'X' }),
      el('bpmn:process', { id: processId, isExecutable: 'true' }, ...nodes, ...sequenceFlows),
    );
    return { root, ids: [...ids, ...flows.map((_, i) => `f${i}`), 'msg', 'err', 'sig', 'esc'] };
  });

const CHAIN_KINDS = ['serviceTask', 'userTask', 'scriptTask', 'task', 'exclusiveGateway', 'intermediateCatchEvent', 'subProcess', 'receiveTask'] as const;

/** start → a chain of well-formed elements → end: deployable until a mutation spoils it. */
const chainDocument: fc.Arbitrary<{ root: XmlElement; ids: readonly string[] }> = fc
  .tuple(fc.array(fc.record({ kind: fc.constantFrom(...CHAIN_KINDS), loop: fc.boolean() }), { maxLength: 8 }), fc.constantFrom('chain', 'order_2'))
  .map(([specs, processId]) => {
    const ids = ['start', ...specs.map((_, i) => `c${i}`), 'end'];
    const nodes: XmlElement[] = [el('bpmn:startEvent', { id: 'start' })];
    specs.forEach((spec, i) => {
      const id = `c${i}`;
      const loop = spec.loop ? [el('bpmn:multiInstanceLoopCharacteristics', {}, el('bpmn:extensionElements', {}, el('zeebe:loopCharacteristics', { inputCollection: '=[1,2]', inputElement: 'e' })))] : [];
      switch (spec.kind) {
        case 'serviceTask':
          nodes.push(el('bpmn:serviceTask', { id }, el('bpmn:extensionElements', {}, el('zeebe:taskDefinition', { type: 'work', retries: '3' }), el('zeebe:ioMapping', {}, el('zeebe:input', { source: '=a', target: 'x' }))), ...loop));
          break;
        case 'userTask':
          nodes.push(el('bpmn:userTask', { id }, el('bpmn:extensionElements', {}, el('zeebe:userTask'), el('zeebe:assignmentDefinition', { assignee: 'demo' }))));
          break;
        case 'scriptTask':
          nodes.push(el('bpmn:scriptTask', { id }, el('bpmn:extensionElements', {}, el('zeebe:script', { expression: '=1 + 1', resultVariable: 'r' }))));
          break;
        case 'exclusiveGateway':
          nodes.push(el('bpmn:exclusiveGateway', { id }));
          break;
        case 'intermediateCatchEvent':
          nodes.push(el('bpmn:intermediateCatchEvent', { id }, el('bpmn:timerEventDefinition', {}, el('bpmn:timeDuration', { 'xsi:type': 'bpmn:tFormalExpression' }, 'PT1H'))));
          break;
        case 'subProcess':
          nodes.push(el('bpmn:subProcess', { id }, el('bpmn:startEvent', { id: `${id}_s` }), el('bpmn:endEvent', { id: `${id}_e` }), el('bpmn:sequenceFlow', { id: `${id}_f`, sourceRef: `${id}_s`, targetRef: `${id}_e` })));
          break;
        case 'receiveTask':
          nodes.push(el('bpmn:receiveTask', { id, messageRef: 'msg' }));
          break;
        default:
          nodes.push(el('bpmn:task', { id }, ...loop));
      }
    });
    nodes.push(el('bpmn:endEvent', { id: 'end' }));
    const flows = ids.slice(1).map((target, i) => el('bpmn:sequenceFlow', { id: `cf${i}`, sourceRef: ids[i]!, targetRef: target }));
    const root = el(
      'bpmn:definitions',
      { ...NS, id: 'defs', targetNamespace: 'fuzz' },
      el('bpmn:message', { id: 'msg', name: 'fuzz-message' }, el('bpmn:extensionElements', {}, el('zeebe:subscription', { correlationKey: '=a' }))),
      el('bpmn:process', { id: processId, isExecutable: 'true' }, ...nodes, ...flows),
    );
    return { root, ids: [...ids, ...flows.map((_, i) => `cf${i}`), 'msg'] };
  });

export const bpmnDocument = fc.oneof(looseDocument, chainDocument);
