/**
 * The flow nodes of a BPMN XML, read with the browser's DOMParser: their types (for the migration
 * preview) and the sub-process each sits in (for where Modify can activate them).
 */

/** Element id → BPMN type ('serviceTask') of every flow node in a BPMN XML. */
export function elementTypes(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const types = new Map<string, string>();
  for (const process of Array.from(doc.getElementsByTagNameNS('*', 'process'))) collect(process, types);
  return types;
}

const NOT_FLOW_NODES = new Set(['sequenceFlow', 'extensionElements', 'documentation', 'incoming', 'outgoing', 'laneSet', 'textAnnotation', 'association', 'dataObject', 'dataObjectReference', 'dataStoreReference', 'property', 'ioSpecification', 'multiInstanceLoopCharacteristics', 'standardLoopCharacteristics', 'conditionExpression', 'timerEventDefinition', 'messageEventDefinition', 'errorEventDefinition', 'signalEventDefinition', 'escalationEventDefinition', 'terminateEventDefinition', 'compensateEventDefinition', 'linkEventDefinition', 'conditionalEventDefinition', 'dataInputAssociation', 'dataOutputAssociation']);

/** Element id → the id of the sub-process it sits in, or null at the process level. */
export function elementParents(xml: string): Map<string, string | null> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const parents = new Map<string, string | null>();
  for (const process of Array.from(doc.getElementsByTagNameNS('*', 'process'))) collect(process, new Map(), parents, null);
  return parents;
}

const SCOPES = new Set(['subProcess', 'adHocSubProcess', 'transaction']);

function collect(scope: Element, types: Map<string, string>, parents = new Map<string, string | null>(), parent: string | null = null): void {
  for (const child of Array.from(scope.children)) {
    const id = child.getAttribute('id');
    if (!id || NOT_FLOW_NODES.has(child.localName)) continue;
    types.set(id, child.localName);
    parents.set(id, parent);
    if (SCOPES.has(child.localName)) collect(child, types, parents, id);
  }
}
