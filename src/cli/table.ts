/**
 * Aligned text tables for people; scripts take `--json`. Values print as they came from the
 * API (keys stay the decimal strings the API writes), objects as compact JSON, absent as empty.
 */

export interface Column {
  readonly header: string;
  /** The item's field; the header when not given. */
  readonly field?: string;
}

const GAP = '  ';

export function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.replace(/[\r\n\t]+/g, ' ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Header and one line per row; every column as wide as its widest cell, no trailing spaces. */
export function formatTable(rows: readonly Record<string, unknown>[], columns: readonly Column[]): string {
  const cells = rows.map((row) => columns.map((c) => cell(row[c.field ?? c.header])));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].map((l) => `${l}\n`).join('');
}

/** Columns named after the fields themselves, the names `--filter` and `--sort` take. */
export const fields = (...names: string[]): Column[] => names.map((header) => ({ header }));
