/**
 * `zeebe:ioMapping`. Where mappings are allowed follows the Zeebe modeling schema
 * (zeebe-bpmn-moddle): inputs on tasks, end events and intermediate catch events; outputs on
 * tasks and every event. Gateways and processes take none. Zeebe's engine does not check the
 * placement itself, but silently ignoring a mapping is worse than refusing it.
 */
import type { VariableMapping } from './types.js';
import type { ErrorCollector } from './error-collector.js';
import { isBlank, readExpression } from './expressions.js';
import { elementsProp, extensionsOfType, stringProp, type ModdleElement } from './moddle-element.js';

/** Zeebe's rule for mapping targets: a variable name or a dotted path of them. */
const TARGET_PATH = /^[a-zA-Z_][a-zA-Z0-9_]*(\.[a-zA-Z_][a-zA-Z0-9_]*)*$/;
const RESERVED_WORDS = ['null', 'true', 'false', 'function', 'if', 'then', 'else', 'for', 'between', 'instance', 'of'];

export interface IoMappings {
  readonly inputs: readonly VariableMapping[];
  readonly outputs: readonly VariableMapping[];
}

export interface MappingPlacement {
  readonly inputs: boolean;
  readonly outputs: boolean;
  /** How messages name the element kind, e.g. `a start event`. */
  readonly kindName: string;
}

const NONE: IoMappings = { inputs: [], outputs: [] };

export function readIoMappings(
  errors: ErrorCollector,
  element: ModdleElement,
  elementId: string,
  placement: MappingPlacement,
): IoMappings {
  const ioMappings = extensionsOfType(element, 'zeebe:IoMapping');
  if (ioMappings.length === 0) return NONE;
  if (ioMappings.length > 1) errors.element(elementId, 'must have at most one zeebe:ioMapping extension element');
  const ioMapping = ioMappings[0]!;
  const inputElements = elementsProp(ioMapping, 'inputParameters');
  const outputElements = elementsProp(ioMapping, 'outputParameters');
  if (!placement.inputs && inputElements.length > 0) {
    errors.element(elementId, `input mappings (zeebe:input) are not supported on ${placement.kindName}`);
  }
  if (!placement.outputs && outputElements.length > 0) {
    errors.element(elementId, `output mappings (zeebe:output) are not supported on ${placement.kindName}`);
  }
  return {
    inputs: placement.inputs ? readMappings(errors, elementId, inputElements, 'input') : [],
    outputs: placement.outputs ? readMappings(errors, elementId, outputElements, 'output') : [],
  };
}

function readMappings(
  errors: ErrorCollector,
  elementId: string,
  elements: readonly ModdleElement[],
  kind: 'input' | 'output',
): VariableMapping[] {
  const mappings: VariableMapping[] = [];
  elements.forEach((mapping, index) => {
    const target = stringProp(mapping, 'target');
    const source = stringProp(mapping, 'source');
    const label = `${kind} mapping #${index + 1}${isBlank(target) ? '' : ` (target '${target}')`}`;
    let valid = true;
    if (isBlank(target)) {
      errors.element(elementId, `the target of ${label} must be present and not empty`);
      valid = false;
    } else if (!TARGET_PATH.test(target!)) {
      errors.element(
        elementId,
        `the target '${target}' of ${kind} mapping #${index + 1} must be a variable name or a dotted path of names (letters, digits and '_', not starting with a digit)`,
      );
      valid = false;
    } else if (RESERVED_WORDS.includes(target!)) {
      errors.element(elementId, `the target '${target}' of ${kind} mapping #${index + 1} is a reserved word (${RESERVED_WORDS.join(', ')})`);
      valid = false;
    }
    if (isBlank(source)) {
      errors.element(elementId, `the source of ${label} must be present and not empty`);
      return;
    }
    // Zeebe: an input source without `=` is a string literal; an output source must be FEEL.
    const expression = readExpression(errors, elementId, source!, `the source of ${label}`, { feelOnly: kind === 'output' });
    if (expression && valid) mappings.push(Object.freeze({ source: expression, target: target! }));
  });
  return mappings;
}
