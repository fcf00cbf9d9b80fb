/**
 * An expression as written in a model attribute. Zeebe's convention: a value starting with
 * `=` is FEEL, anything else is a static string. FEEL is syntax-checked at deploy time so
 * that evaluation at run time can only fail with a warning-style error, never a throw.
 */
export type Expression =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'feel'; readonly source: string };

export function staticExpression(value: string): Expression {
  return { kind: 'static', value };
}

/** Reads an attribute value: `=expr` becomes FEEL, the rest stays a static string. */
export function toExpression(raw: string): Expression {
  const trimmed = raw.trimStart();
  if (trimmed.startsWith('=')) return { kind: 'feel', source: trimmed.slice(1).trim() };
  return { kind: 'static', value: raw };
}

/** Reads a value that is always FEEL (sequence flow conditions), with or without the leading `=`. */
export function toFeelExpression(raw: string): Expression {
  const trimmed = raw.trim();
  return { kind: 'feel', source: trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed };
}

/** The expression as a user wrote it, for messages. */
export function expressionText(expr: Expression): string {
  return expr.kind === 'feel' ? `=${expr.source}` : expr.value;
}
