/**
 * FEEL-Scala's ordering semantics on top of feelin. In FEEL-Scala (Zeebe), `x > 5` with a string
 * `x` is null, reported as NOT_COMPARABLE, so a gateway condition raises an incident. feelin
 * answers false instead, which would silently route the token down another path. We rewrite
 * every `<`, `<=`, `>`, `>=` into a call of a comparison function that returns null (with
 * Zeebe's warning) for operands of different kinds, and compares them otherwise; temporal
 * operands of the same kind are handed back to feelin.
 *
 * The rewrite works on feelin's own parse tree, so it only replaces what feelin would have
 * evaluated as a comparison. One wrinkle: feelin decides whether `list[cond]` filters or indexes
 * by the static kind of `cond`; a function call would make it index, so a comparison that is a
 * filter condition becomes `(call = true)`, where null and false both drop the item anyway.
 */
import { evaluate as feelinEvaluate, parseExpression } from 'feelin';
import { isDate, isDateTime, isDuration, isPlainObject, isTime } from './feel-values.js';
import type { FeelWarning } from './warnings.js';

/** The context name of the comparison function; not a name users pick. */
export const COMPARE_FUNCTION = '__zen_compare__';

const ORDERING = new Set(['<', '<=', '>', '>=']);
const MAX_REWRITES = 4096;
const rewrites = new Map<string, string>();

type SyntaxNode = Parameters<Parameters<ReturnType<typeof parseExpression>['iterate']>[0]['enter']>[0]['node'];

/** The source with ordering comparisons rewritten; the source itself when there are none. */
export function withFeelScalaComparisons(source: string): string {
  const known = rewrites.get(source);
  if (known !== undefined) return known;
  const rewritten = rewrite(source);
  if (rewrites.size >= MAX_REWRITES) rewrites.clear();
  rewrites.set(source, rewritten);
  return rewritten;
}

function rewrite(source: string): string {
  if (!/[<>]/.test(source)) return source;
  const tree = parseExpression(source, {}, undefined);
  let broken = false;
  tree.iterate({
    enter(node) {
      if (node.type.isError) broken = true;
      return !broken;
    },
  });
  // A broken expression fails in feelin with its own message; leave it alone.
  if (broken) return source;
  const render = (node: SyntaxNode): string => {
    const children: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
    const [left, operator, right] = children;
    if (
      node.name === 'Comparison' &&
      children.length === 3 &&
      operator!.name === 'CompareOp' &&
      ORDERING.has(source.slice(operator!.from, operator!.to)) &&
      !children.some((child) => child.type.isSkipped)
    ) {
      const op = source.slice(operator!.from, operator!.to);
      const call = `${COMPARE_FUNCTION}(${render(left!)}, "${op}", ${render(right!)})`;
      return isFilterCondition(node) ? `(${call} = true)` : call;
    }
    let text = '';
    let position = node.from;
    for (const child of children) {
      text += source.slice(position, child.from) + render(child);
      position = child.to;
    }
    return text + source.slice(position, node.to);
  };
  return source.slice(0, tree.topNode.from) + render(tree.topNode) + source.slice(tree.topNode.to);
}

function isFilterCondition(node: SyntaxNode): boolean {
  let current = node;
  let parent = node.parent;
  while (parent && parent.name === 'ParenthesizedExpression') {
    current = parent;
    parent = parent.parent;
  }
  return parent !== null && parent.name === 'FilterExpression' && parent.firstChild !== null && current.from > parent.firstChild.to;
}

type Kind = 'number' | 'string' | 'date' | 'date time' | 'time' | 'years and months duration' | 'days and time duration';

function kindOf(value: unknown): Kind | null {
  if (typeof value === 'number') return Number.isNaN(value) ? null : 'number';
  if (typeof value === 'string') return 'string';
  if (isDateTime(value)) return 'date time';
  if (isDate(value)) return 'date';
  if (isTime(value)) return 'time';
  if (isDuration(value)) return value.yearsMonths ? 'years and months duration' : 'days and time duration';
  return null;
}

/**
 * Where the comparison function reports NOT_COMPARABLE while an evaluation runs. Evaluation is
 * synchronous and does not nest (temporal comparisons call feelin directly), so one slot is enough,
 * and the function can be created once instead of per evaluation.
 */
let warningSink: FeelWarning[] | null = null;

/** Runs `evaluation` with the comparison function's warnings collected into `warnings`. */
export function collectingComparisonWarnings<T>(warnings: FeelWarning[], evaluation: () => T): T {
  const previous = warningSink;
  warningSink = warnings;
  try {
    return evaluation();
  } finally {
    warningSink = previous;
  }
}

function compare(left: unknown, operator: unknown, right: unknown): boolean | null {
  if (left === null || left === undefined || right === null || right === undefined) return null;
  const kind = kindOf(left);
  if (kind === null || kind !== kindOf(right)) {
    warningSink?.push({ type: 'NOT_COMPARABLE', message: `Can't compare '${display(left)}' with '${display(right)}'` });
    return null;
  }
  if (typeof operator !== 'string' || !ORDERING.has(operator)) return null;
  if (kind === 'number' || kind === 'string') {
    const a = left as number | string;
    const b = right as number | string;
    if (operator === '<') return a < b;
    if (operator === '<=') return a <= b;
    if (operator === '>') return a > b;
    return a >= b;
  }
  const result = feelinEvaluate(`a ${operator} b`, { a: left, b: right }).value;
  return typeof result === 'boolean' ? result : null;
}

/** feelin reads a JS function's parameter names from `$args`, or else by parsing its source. */
export const comparisonFunction: typeof compare & { $args: string[] } = Object.assign(compare, {
  $args: ['left', 'operator', 'right'],
});

/** Values as FEEL-Scala prints them in warnings: strings quoted, the rest in FEEL notation. */
function display(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(display).join(', ')}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value).map(([key, entry]) => `${key}:${display(entry)}`).join(', ')}}`;
  }
  if (isDate(value) || isDateTime(value) || isTime(value) || isDuration(value)) return value.iso;
  return String(value);
}
