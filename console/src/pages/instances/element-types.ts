/** The flow nodes of a BPMN XML and their types, read with the browser's DOMParser (for the migration preview). */

/** Element id → BPMN type ('serviceTask') of every flow node in a BPMN XML. */
export function elementTypes(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const types = new Map<string, string>();
  for (const process of Array.from(doc.getElementsByTagNameNS('*', 'process'))) collect(process, types);
  return types;
}

const NOT_FLOW_NODES = new Set(['sequenceFlow', 'extensionElements', 'documentation', 'incoming', 'outgoing', 'laneSet', 'textAnnotation', 'association', 'dataObject', 'dataObjectReference', 'dataStoreReference', 'property', 'ioSpecification', 'multiInstanceLoopCharacteristics', 'standardLoopCharacteristics', 'conditionExpression', 'timerEventDefinition', 'messageEventDefinition', 'errorEventDefinition', 'signalEventDefinition', 'escalationEventDefinition', 'terminateEventDefinition', 'compensateEventDefinition', 'linkEventDefinition', 'conditionalEventDefinition', 'dataInputAssociation', 'dataOutputAssociation']);

function collect(scope: Element, types: Map<string, string>): void {
  for (const child of Array.from(scope.children)) {
    const id = child.getAttribute('id');
    if (!id || NOT_FLOW_NODES.has(child.localName)) continue;
    types.set(id, child.localName);
    if (child.localName === 'subProcess' || child.localName === 'adHocSubProcess' || child.localName === 'transaction') collect(child, types);
  }
}
