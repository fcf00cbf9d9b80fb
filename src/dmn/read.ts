/**
 * DMN XML (1.1–1.5) to the `Definitions` model. Reads by local element name, so every DMN
 * namespace version reads alike, including the DMN 1.4 boxed conditional, for, every, some, filter.
 */
import type { Boxed, Decision, DecisionService, Definitions, FunctionDefinition, HitPolicy, Aggregation, ItemDefinition } from './model.js';
import { attr, child, childText, children, parseXml, type XmlElement } from './xml.js';

export class DmnReadError extends Error {}

const BOXED = new Set(['literalExpression', 'decisionTable', 'context', 'list', 'relation', 'invocation', 'functionDefinition', 'conditional', 'for', 'every', 'some', 'filter']);

function firstBoxed(e: XmlElement | undefined): XmlElement | undefined {
  return e?.children.find((c) => BOXED.has(c.name));
}

const ref = (e: XmlElement): string => attr(e, 'href') ?? '';

function unaryText(e: XmlElement | undefined): string | undefined {
  if (e === undefined) return undefined;
  const text = childText(e, 'text');
  return text === undefined || text.trim() === '' ? undefined : text;
}

function opt<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function itemDefinition(e: XmlElement): ItemDefinition {
  const fi = child(e, 'functionItem');
  return {
    name: attr(e, 'name') ?? '',
    ...opt('typeRef', childText(e, 'typeRef')?.trim() ?? attr(e, 'typeRef')),
    isCollection: attr(e, 'isCollection') === 'true',
    ...opt('allowedValues', unaryText(child(e, 'allowedValues'))),
    ...opt('typeConstraint', unaryText(child(e, 'typeConstraint'))),
    components: children(e, 'itemComponent').map(itemDefinition),
    ...(fi
      ? {
          functionItem: {
            parameters: children(fi, 'parameters').map((p) => ({ name: attr(p, 'name') ?? '', ...opt('typeRef', attr(p, 'typeRef')) })),
            ...opt('outputTypeRef', attr(fi, 'outputTypeRef')),
          },
        }
      : {}),
  };
}

function literalOf(e: XmlElement | undefined, what: string): Boxed {
  const inner = firstBoxed(e);
  if (inner === undefined) throw new DmnReadError(`${what} has no expression`);
  return boxed(inner);
}

function common(e: XmlElement): { id?: string; typeRef?: string } {
  return { ...opt('id', attr(e, 'id')), ...opt('typeRef', attr(e, 'typeRef')) };
}

export function functionDefinition(e: XmlElement): FunctionDefinition {
  const kind = attr(e, 'kind') ?? 'FEEL';
  const body = firstBoxed(e);
  return {
    kind: 'function',
    ...common(e),
    functionKind: kind === 'Java' || kind === 'PMML' ? kind : 'FEEL',
    parameters: children(e, 'formalParameter').map((p) => ({ name: attr(p, 'name') ?? '', ...opt('typeRef', attr(p, 'typeRef')) })),
    ...(body ? { body: boxed(body) } : {}),
  };
}

export function boxed(e: XmlElement): Boxed {
  switch (e.name) {
    case 'literalExpression':
      return { kind: 'literal', ...common(e), text: childText(e, 'text') ?? '' };
    case 'decisionTable': {
      const hit = (attr(e, 'hitPolicy') ?? 'UNIQUE') as HitPolicy;
      const aggregation = attr(e, 'aggregation') as Aggregation | undefined;
      return {
        kind: 'decisionTable',
        ...common(e),
        hitPolicy: hit,
        ...(aggregation ? { aggregation } : {}),
        inputs: children(e, 'input').map((i) => {
          const ie = child(i, 'inputExpression');
          return {
            ...opt('id', attr(i, 'id')),
            ...opt('label', attr(i, 'label')),
            expression: (ie && childText(ie, 'text')) ?? '',
            ...opt('typeRef', ie && attr(ie, 'typeRef')),
            ...opt('inputValues', unaryText(child(i, 'inputValues'))),
          };
        }),
        outputs: children(e, 'output').map((o) => ({
          ...opt('id', attr(o, 'id')),
          ...opt('name', attr(o, 'name')),
          ...opt('typeRef', attr(o, 'typeRef')),
          ...opt('outputValues', unaryText(child(o, 'outputValues'))),
          ...opt('defaultOutput', unaryText(child(o, 'defaultOutputEntry'))),
        })),
        rules: children(e, 'rule').map((r) => ({
          ...opt('id', attr(r, 'id')),
          inputEntries: children(r, 'inputEntry').map((x) => childText(x, 'text') ?? '-'),
          outputEntries: children(r, 'outputEntry').map((x) => childText(x, 'text') ?? ''),
        })),
      };
    }
    case 'context':
      return {
        kind: 'context',
        ...common(e),
        entries: children(e, 'contextEntry').map((ce) => {
          const variable = child(ce, 'variable');
          const name = variable && attr(variable, 'name');
          return { ...opt('name', name), ...opt('typeRef', variable && attr(variable, 'typeRef')), value: literalOf(ce, `context entry '${name ?? '(result)'}'`) };
        }),
      };
    case 'list':
      return { kind: 'list', ...common(e), items: e.children.filter((c) => BOXED.has(c.name)).map(boxed) };
    case 'relation':
      return {
        kind: 'relation',
        ...common(e),
        columns: children(e, 'column').map((c) => ({ name: attr(c, 'name') ?? '', ...opt('typeRef', attr(c, 'typeRef')) })),
        rows: children(e, 'row').map((r) => r.children.filter((c) => BOXED.has(c.name)).map(boxed)),
      };
    case 'invocation': {
      const callee = firstBoxed(e);
      return {
        kind: 'invocation',
        ...common(e),
        callee: callee ? boxed(callee) : { kind: 'literal', text: '' },
        bindings: children(e, 'binding').map((b) => {
          const p = child(b, 'parameter');
          const value = firstBoxed(b);
          return { name: (p && attr(p, 'name')) ?? '', ...(value ? { value: boxed(value) } : {}) };
        }),
      };
    }
    case 'functionDefinition':
      return functionDefinition(e);
    case 'conditional':
      return { kind: 'conditional', ...common(e), if: literalOf(child(e, 'if'), 'if'), then: literalOf(child(e, 'then'), 'then'), else: literalOf(child(e, 'else'), 'else') };
    case 'for':
      return { kind: 'for', ...common(e), variable: attr(e, 'iteratorVariable') ?? '', in: literalOf(child(e, 'in'), 'in'), return: literalOf(child(e, 'return'), 'return') };
    case 'every':
    case 'some':
      return { kind: e.name, ...common(e), variable: attr(e, 'iteratorVariable') ?? '', in: literalOf(child(e, 'in'), 'in'), satisfies: literalOf(child(e, 'satisfies'), 'satisfies') };
    case 'filter':
      return { kind: 'filter', ...common(e), in: literalOf(child(e, 'in'), 'in'), match: literalOf(child(e, 'match'), 'match') };
    default:
      return { kind: 'unsupported', ...common(e), element: e.name };
  }
}

function variableTypeRef(e: XmlElement): string | undefined {
  const v = child(e, 'variable');
  return v && attr(v, 'typeRef');
}

function versionTagOf(e: XmlElement): string | undefined {
  const extensions = child(e, 'extensionElements');
  const tag = extensions && child(extensions, 'versionTag');
  return tag && attr(tag, 'value');
}

function decision(e: XmlElement): Decision {
  const requiredDecisions: string[] = [];
  const requiredInputs: string[] = [];
  for (const r of children(e, 'informationRequirement')) {
    const d = child(r, 'requiredDecision');
    const i = child(r, 'requiredInput');
    if (d) requiredDecisions.push(ref(d));
    if (i) requiredInputs.push(ref(i));
  }
  const requiredKnowledge = children(e, 'knowledgeRequirement').flatMap((r) => children(r, 'requiredKnowledge').map(ref));
  const body = firstBoxed(e);
  return {
    id: attr(e, 'id') ?? '',
    name: attr(e, 'name') ?? '',
    ...opt('typeRef', variableTypeRef(e)),
    // Camunda's `zeebe:versionTag` in the decision's extension elements.
    ...opt('versionTag', versionTagOf(e)),
    requiredDecisions,
    requiredInputs,
    requiredKnowledge,
    ...(body ? { expression: boxed(body) } : {}),
  };
}

function decisionService(e: XmlElement): DecisionService {
  const refs = (name: string) => children(e, name).map(ref);
  return {
    id: attr(e, 'id') ?? '',
    name: attr(e, 'name') ?? '',
    ...opt('typeRef', variableTypeRef(e)),
    outputDecisions: refs('outputDecision'),
    encapsulatedDecisions: refs('encapsulatedDecision'),
    inputDecisions: refs('inputDecision'),
    inputData: refs('inputData'),
  };
}

/** Reads one DMN file; throws DmnReadError when it is not DMN at all. */
export function readDmn(xml: string): Definitions {
  const doc = parseXml(xml);
  const root = child(doc, 'definitions');
  if (root === undefined) throw new DmnReadError('not a DMN document: no <definitions> element');
  return {
    id: attr(root, 'id') ?? '',
    name: attr(root, 'name') ?? '',
    namespace: attr(root, 'namespace') ?? '',
    itemDefinitions: children(root, 'itemDefinition').map(itemDefinition),
    inputData: children(root, 'inputData').map((i) => ({ id: attr(i, 'id') ?? '', name: attr(i, 'name') ?? '', ...opt('typeRef', variableTypeRef(i)) })),
    decisions: children(root, 'decision').map(decision),
    bkms: children(root, 'businessKnowledgeModel').map((b) => {
      const logic = child(b, 'encapsulatedLogic');
      return {
        id: attr(b, 'id') ?? '',
        name: attr(b, 'name') ?? '',
        ...opt('typeRef', variableTypeRef(b)),
        requiredKnowledge: children(b, 'knowledgeRequirement').flatMap((r) => children(r, 'requiredKnowledge').map(ref)),
        ...(logic ? { logic: functionDefinition(logic) } : {}),
      };
    }),
    decisionServices: children(root, 'decisionService').map(decisionService),
    imports: children(root, 'import').map((i) => ({ name: attr(i, 'name') ?? '', namespace: attr(i, 'namespace') ?? '', ...opt('locationURI', attr(i, 'locationURI')) })),
  };
}
