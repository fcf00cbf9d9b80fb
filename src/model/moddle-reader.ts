/**
 * Parses BPMN XML with bpmn-moddle and the Zeebe extension schema. moddle is forgiving: it turns
 * unknown elements, duplicate ids and dangling references into warnings and drops the offending
 * parts. An engine must not run a model with silently dropped parts, so those warnings become
 * errors here; only unknown attributes (vendor extensions such as `modeler:executionPlatform`)
 * stay harmless.
 */
import { createRequire } from 'node:module';
import { BpmnModdle, type BpmnModdleInstance, type ModdleWarning } from 'bpmn-moddle';
import type { ErrorCollector } from './error-collector.js';
import { isElement, type ModdleElement } from './moddle-element.js';

let moddle: BpmnModdleInstance | null = null;

function bpmnModdle(): BpmnModdleInstance {
  if (!moddle) {
    const require = createRequire(import.meta.url);
    const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json') as Record<string, unknown>;
    moddle = BpmnModdle({ zeebe });
  }
  return moddle;
}

/** A reference moddle could not resolve, e.g. `targetRef="nowhere"`. */
export interface UnresolvedReference {
  /** The BPMN property, e.g. `targetRef`. */
  readonly property: string;
  readonly value: string;
}

/** Dangling references per moddle element (by identity: event definitions often have no id). */
export type UnresolvedReferences = ReadonlyMap<object, readonly UnresolvedReference[]>;

/** The raw value of a reference moddle could not resolve, e.g. `nowhere` for `targetRef`. */
export function unresolvedRef(unresolved: UnresolvedReferences, element: object, property: string): string | undefined {
  return unresolved.get(element)?.find((reference) => reference.property === property)?.value;
}

export interface ParsedDefinitions {
  readonly definitions: ModdleElement;
  readonly unresolved: UnresolvedReferences;
}

/** `not-bpmn`: well-formed XML with another root element; nothing has been reported yet. */
export type ReadResult =
  | { readonly ok: true; readonly parsed: ParsedDefinitions }
  | { readonly ok: false; readonly reason: 'invalid' | 'not-bpmn' };

export async function readBpmn(resourceName: string, xml: string, errors: ErrorCollector): Promise<ReadResult> {
  let result;
  try {
    result = await bpmnModdle().fromXML(xml, 'bpmn:Definitions');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (reason.startsWith('failed to parse document as')) return { ok: false, reason: 'not-bpmn' };
    errors.raw(null, `Failed to parse resource '${resourceName}' as BPMN XML: ${formatParserMessage(reason)}`);
    return { ok: false, reason: 'invalid' };
  }
  if (!isElement(result.rootElement) || result.rootElement.$type !== 'bpmn:Definitions') {
    return { ok: false, reason: 'not-bpmn' };
  }
  const unresolved = new Map<object, UnresolvedReference[]>();
  const lines = xml.split('\n');
  for (const warning of result.warnings) reportWarning(warning, lines, errors, unresolved);
  return { ok: true, parsed: { definitions: result.rootElement, unresolved } };
}

const UNPARSABLE = /^unparsable content <([^>\s]+)[^>]*> detected\s*\n\s*line: (\d+)\s*\n\s*column: (\d+)\s*\n\s*nested error: (.*)$/s;

function reportWarning(
  warning: ModdleWarning,
  lines: readonly string[],
  errors: ErrorCollector,
  unresolved: Map<object, UnresolvedReference[]>,
): void {
  const { message } = warning;
  if (message.startsWith('unknown attribute')) return;

  const reference = /^unresolved reference <(.*)>$/s.exec(message);
  if (reference && warning.element && typeof warning.property === 'string') {
    const property = warning.property.replace(/^bpmn:/, '');
    const list = unresolved.get(warning.element) ?? [];
    list.push({ property, value: reference[1]! });
    unresolved.set(warning.element, list);
    return;
  }

  const unparsable = UNPARSABLE.exec(message);
  if (unparsable) {
    const [, tag, line, column, nested] = unparsable;
    const lineNumber = Number(line) + 1;
    const where = `line ${lineNumber}, column ${Number(column) + 1}`;
    const duplicate = /^duplicate ID <(.*)>$/.exec(nested!.trim());
    if (duplicate) {
      errors.element(duplicate[1]!, `the id '${duplicate[1]}' is used by more than one element (${where})`);
      return;
    }
    const id = idNear(lines, Number(line), Number(column));
    const what = `<${tag}> (${where})`;
    if (id !== null) errors.element(id, `cannot read ${what}: ${nested!.trim()}`);
    else errors.raw(null, `Cannot read ${what}: ${nested!.trim()}`);
    return;
  }

  errors.raw(warning.element?.id ?? null, `Invalid BPMN: ${message.replace(/\s*\n\s*/g, ', ')}`);
}

/**
 * The id of the element at a 0-based line/column, or of the innermost enclosing element with an
 * id (an unknown extension element has none; its task does). A rough tag scan is enough: it runs
 * only to word an error message, over a document moddle has already parsed.
 */
function idNear(lines: readonly string[], line: number, column: number): string | null {
  const own = idOfTag(((lines[line] ?? '').slice(column) + '\n' + (lines[line + 1] ?? '')).split('>')[0] ?? '');
  if (own !== null) return own;
  const before = lines.slice(0, line).join('\n') + '\n' + (lines[line] ?? '').slice(0, column);
  const stack: (string | null)[] = [];
  const tags = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)[^\s>/]+([^>]*?)(\/?)>/g;
  for (let match = tags.exec(before); match; match = tags.exec(before)) {
    const [, closing, attributes, selfClosing] = match;
    if (closing === undefined) continue;
    if (closing === '/') stack.pop();
    else if (selfClosing !== '/') stack.push(idOfTag(attributes ?? ''));
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]) return stack[i]!;
  return null;
}

function idOfTag(tag: string): string | null {
  const match = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(` ${tag}`);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** moddle reports `…\n\tline: 0\n\tcolumn: 6\n\tnested error: …` with 0-based positions. */
function formatParserMessage(message: string): string {
  const match = UNPARSABLE.exec(message);
  if (!match) return message.replace(/\s*\n\s*/g, ', ');
  const [, tag, line, column, nested] = match;
  return `${nested!.trim()} at <${tag}> (line ${Number(line) + 1}, column ${Number(column) + 1})`;
}
