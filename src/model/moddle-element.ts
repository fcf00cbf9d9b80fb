/**
 * A loose view of moddle's parsed elements. moddle builds them from schemas at run time, so we
 * read properties defensively instead of trusting generated types.
 */

export interface ModdleElement {
  readonly $type: string;
  readonly id?: string;
  readonly [property: string]: unknown;
}

export function isElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

export function stringProp(element: ModdleElement, name: string): string | undefined {
  const value = element[name];
  return typeof value === 'string' ? value : undefined;
}

/** An attribute zeebe-bpmn-moddle does not declare (newer Camunda versions added it) lands in `$attrs`. */
export function undeclared(element: ModdleElement, name: string): string | undefined {
  const declared = stringProp(element, name);
  if (declared !== undefined) return declared;
  const attrs = (element as { $attrs?: Record<string, unknown> }).$attrs;
  const value = attrs?.[name] ?? attrs?.[`zeebe:${name}`];
  return typeof value === 'string' ? value : undefined;
}

export function elementProp(element: ModdleElement, name: string): ModdleElement | undefined {
  const value = element[name];
  return isElement(value) ? value : undefined;
}

export function elementsProp(element: ModdleElement, name: string): readonly ModdleElement[] {
  const value = element[name];
  return Array.isArray(value) ? value.filter(isElement) : [];
}

export function booleanProp(element: ModdleElement, name: string): boolean | undefined {
  const value = element[name];
  return typeof value === 'boolean' ? value : undefined;
}

/** Text of a `bpmn:FormalExpression` child (condition, timer value), or undefined. */
export function expressionBody(element: ModdleElement, name: string): string | undefined {
  const expression = elementProp(element, name);
  if (!expression) return undefined;
  const body = stringProp(expression, 'body');
  return body ?? '';
}

/** The `zeebe:*` (or other) extension elements of the given type, e.g. `zeebe:TaskDefinition`. */
export function extensionsOfType(element: ModdleElement, type: string): readonly ModdleElement[] {
  const container = elementProp(element, 'extensionElements');
  if (!container) return [];
  return elementsProp(container, 'values').filter((value) => value.$type === type);
}

export function allExtensions(element: ModdleElement): readonly ModdleElement[] {
  const container = elementProp(element, 'extensionElements');
  return container ? elementsProp(container, 'values') : [];
}
