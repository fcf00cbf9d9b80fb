/**
 * A migration's preview, worked out in the browser before anything is sent: every active
 * element needs a target element of the same type (what Zen and Camunda check), mapped by id
 * unless the user picks another. The server checks again; this says beforehand what would fail.
 */

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

export interface PlanRow {
  readonly sourceElementId: string;
  readonly sourceType: string;
  readonly targetElementId: string;
  /** Why this mapping would be refused; undefined when it is fine. */
  readonly problem?: string;
}

/** The rows for the active elements, with `chosen` overriding the default (same id). */
export function migrationPlan(
  activeElementIds: readonly string[],
  sourceTypes: ReadonlyMap<string, string>,
  targetTypes: ReadonlyMap<string, string>,
  chosen: ReadonlyMap<string, string>,
): PlanRow[] {
  return [...new Set(activeElementIds)].map((sourceElementId) => {
    const sourceType = sourceTypes.get(sourceElementId) ?? 'unknown';
    const targetElementId = chosen.get(sourceElementId) ?? (targetTypes.has(sourceElementId) ? sourceElementId : '');
    const targetType = targetTypes.get(targetElementId);
    let problem: string | undefined;
    if (!targetElementId) problem = `No element '${sourceElementId}' in the target: pick one`;
    else if (!targetType) problem = `No element '${targetElementId}' in the target`;
    else if (targetType !== sourceType) problem = `A ${sourceType} cannot become a ${targetType}`;
    return { sourceElementId, sourceType, targetElementId, ...(problem ? { problem } : {}) };
  });
}

/** The mapping instructions the API takes (rows without a target left out). */
export const mappingInstructions = (plan: readonly PlanRow[]) =>
  plan.filter((row) => row.targetElementId).map((row) => ({ sourceElementId: row.sourceElementId, targetElementId: row.targetElementId }));
