/**
 * Reading attribute values as expressions at deploy time: Zeebe's `=` convention, attributes that
 * must be FEEL (Zeebe's "non-static" ones: conditions, output sources, correlation keys, scripts),
 * and a syntax check of every FEEL expression so that run time only meets evaluation problems.
 */
import { checkFeelSyntax } from '../feel/syntax.js';
import { toExpression, type Expression } from '../feel/expression.js';
import type { ErrorCollector } from './error-collector.js';

export interface ExpressionOptions {
  /** Refuse static values, as Zeebe does for conditions, output sources, correlation keys, scripts. */
  readonly feelOnly?: boolean;
}

/**
 * Reads `raw` (already known to be present and non-empty) as an expression. `what` names the
 * attribute in messages, e.g. `the job type`. Returns null after reporting an error.
 */
export function readExpression(
  errors: ErrorCollector,
  elementId: string,
  raw: string,
  what: string,
  options: ExpressionOptions = {},
): Expression | null {
  const expression = toExpression(raw);
  if (expression.kind === 'static') {
    if (options.feelOnly) {
      errors.element(
        elementId,
        `expected an expression for ${what} but found the static value '${raw}'; an expression must start with '=' (e.g. '=${raw}')`,
      );
      return null;
    }
    return expression;
  }
  return checkedFeel(errors, elementId, expression.source, what) ? expression : null;
}

/** Syntax-checks FEEL source (without `=`), reporting `invalid FEEL expression '=…' for <what>`. */
export function checkedFeel(errors: ErrorCollector, elementId: string, source: string, what: string): boolean {
  if (source.trim() === '') {
    errors.element(elementId, `the expression for ${what} is empty: nothing follows '='`);
    return false;
  }
  const problem = checkFeelSyntax(source);
  if (problem !== null) {
    errors.element(elementId, `invalid FEEL expression '=${source}' for ${what}: ${problem}`);
    return false;
  }
  return true;
}

/** True for an attribute that is absent or only whitespace. */
export function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}
