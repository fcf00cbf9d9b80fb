/**
 * `zeebe:calledDecision` on a business rule task: the engine evaluates a deployed decision
 * (its id, FEEL allowed; its version by `bindingType`) and writes the result to `resultVariable`.
 */
import type { ErrorCollector } from './error-collector.js';
import { readExpression } from './expressions.js';
import { extensionsOfType, stringProp, undeclared, type ModdleElement } from './moddle-element.js';
import type { CalledDecisionDefinition } from './types.js';

export function hasCalledDecision(element: ModdleElement): boolean {
  return extensionsOfType(element, 'zeebe:CalledDecision').length > 0;
}

export function readCalledDecision(errors: ErrorCollector, element: ModdleElement, id: string): CalledDecisionDefinition | null {
  const called = extensionsOfType(element, 'zeebe:CalledDecision');
  if (called.length !== 1 || extensionsOfType(element, 'zeebe:TaskDefinition').length > 0) {
    errors.element(id, "a business rule task must have either one 'zeebe:calledDecision' or one 'zeebe:taskDefinition' extension element");
    return null;
  }
  const definition = called[0]!;
  const rawId = stringProp(definition, 'decisionId') ?? undeclared(definition, 'decisionId');
  const resultVariable = (stringProp(definition, 'resultVariable') ?? undeclared(definition, 'resultVariable'))?.trim();
  let valid = true;
  if (rawId === undefined || rawId.trim() === '') {
    errors.element(id, 'the zeebe:calledDecision must have a non-empty decisionId');
    valid = false;
  }
  if (resultVariable === undefined || resultVariable === '') {
    errors.element(id, 'the zeebe:calledDecision must have a non-empty resultVariable');
    valid = false;
  }
  const bindingType = undeclared(definition, 'bindingType') ?? 'latest';
  if (bindingType !== 'latest' && bindingType !== 'deployment' && bindingType !== 'versionTag') {
    errors.element(id, `the binding type '${bindingType}' is not one of 'latest', 'deployment' or 'versionTag'`);
    valid = false;
  }
  const versionTag = undeclared(definition, 'versionTag')?.trim() || null;
  if (bindingType === 'versionTag' && versionTag === null) {
    errors.element(id, "the binding type 'versionTag' needs a versionTag on zeebe:calledDecision");
    valid = false;
  }
  if (!valid) return null;
  const decisionId = readExpression(errors, id, rawId!.trim(), 'the called decision id');
  if (decisionId === null) return null;
  return Object.freeze({ decisionId, resultVariable: resultVariable!, bindingType: bindingType as CalledDecisionDefinition['bindingType'], versionTag });
}
