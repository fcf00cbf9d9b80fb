/**
 * `zeebe:calledElement` on a call activity: which process it starts (a process id, FEEL
 * allowed), which version (`bindingType`), and which variables cross into and out of it.
 */
import type { ErrorCollector } from './error-collector.js';
import { readExpression } from './expressions.js';
import { booleanProp, extensionsOfType, stringProp, undeclared, type ModdleElement } from './moddle-element.js';
import type { CalledElementDefinition } from './types.js';

export function readCalledElement(errors: ErrorCollector, element: ModdleElement, id: string): CalledElementDefinition | null {
  const called = extensionsOfType(element, 'zeebe:CalledElement');
  if (called.length !== 1) {
    errors.element(id, 'a call activity must have exactly one zeebe:calledElement with a processId');
    return null;
  }
  const definition = called[0]!;
  const raw = stringProp(definition, 'processId') ?? stringProp(definition, 'processIdExpression');
  if (raw === undefined || raw.trim() === '') {
    errors.element(id, 'a call activity must have a zeebe:calledElement processId');
    return null;
  }
  const processId = readExpression(errors, id, raw.trim(), 'the called process id');
  const bindingType = undeclared(definition, 'bindingType') ?? 'latest';
  if (bindingType !== 'latest' && bindingType !== 'deployment' && bindingType !== 'versionTag') {
    errors.element(id, `the binding type '${bindingType}' is not one of 'latest', 'deployment' or 'versionTag'`);
    return null;
  }
  const versionTag = undeclared(definition, 'versionTag')?.trim() || null;
  if (bindingType === 'versionTag' && versionTag === null) {
    errors.element(id, "the binding type 'versionTag' needs a versionTag on zeebe:calledElement");
    return null;
  }
  if (processId === null) return null;
  return Object.freeze({
    processId,
    bindingType,
    versionTag,
    // Both default to true in Zeebe.
    propagateAllChildVariables: booleanProp(definition, 'propagateAllChildVariables') ?? true,
    propagateAllParentVariables: booleanProp(definition, 'propagateAllParentVariables') ?? true,
  });
}
