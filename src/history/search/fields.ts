/**
 * How a searchable field of a resource maps to its column, and what its values are. `key`
 * values are strings in the API (Camunda's keys are strings) and integers in SQLite; `date`
 * values are ISO-8601 strings in the API and epoch milliseconds in SQLite.
 */
export type FieldType = 'key' | 'string' | 'int' | 'date' | 'bool';

export interface Field {
  readonly column: string;
  readonly type: FieldType;
  /** Can be null in the table: sorting and cursors read it through COALESCE. */
  readonly nullable?: boolean;
  /** Not sortable (e.g. a JSON text). */
  readonly unsortable?: boolean;
  /** The column is a JSON array: a condition holds when it holds for one of its elements. */
  readonly list?: boolean;
  /** A filter of its own shape (not a value or operators), compiled to one SQL condition. */
  readonly compile?: (name: string, condition: unknown) => { readonly where: string; readonly params: readonly unknown[] };
}

export interface Resource {
  /** The API's name for the resource, in messages. */
  readonly name: string;
  readonly table: string;
  /** The columns a row is read with (a join names its own); default `*`. */
  readonly select?: string;
  /** The API field that is the resource's key (the last sort tie-breaker). */
  readonly keyField: string;
  /** Fields that break ties after the key, where the key alone is not unique. */
  readonly tieBreakers?: readonly string[];
  /** Every partition holds every row (deployed definitions): partition 1 answers alone. */
  readonly onEveryPartition?: boolean;
  /**
   * When `table` LEFT JOINs a table by its unique key (which adds no rows): the first table
   * alone and the joined one's alias. A count whose filter names no column of the joined table
   * reads the first table alone, from an index when one covers the filter, instead of a join per row.
   */
  readonly countWithoutJoin?: { readonly table: string; readonly joinedAlias: string };
  readonly fields: Readonly<Record<string, Field>>;
  /** A row (column → value) as the API's item. */
  toItem(row: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** The sortable SQL expression of a field. */
export function sortExpression(field: Field): string {
  if (!field.nullable) return field.column;
  return field.type === 'string' ? `COALESCE(${field.column}, '')` : `COALESCE(${field.column}, -1)`;
}

// Field declarations and value conversions shared by the resource tables.
export const key = (column: string, nullable = false): Field => ({ column, type: 'key', ...(nullable ? { nullable } : {}) });
export const text = (column: string, nullable = false): Field => ({ column, type: 'string', ...(nullable ? { nullable } : {}) });
export const int = (column: string): Field => ({ column, type: 'int' });
export const date = (column: string, nullable = false): Field => ({ column, type: 'date', ...(nullable ? { nullable } : {}) });
export const bool = (column: string): Field => ({ column, type: 'bool' });

export const keyText = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));
export const dateText = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : new Date(Number(value)).toISOString());

/** Drops absent optional fields (and null ones, with `dropNull`), as Camunda's responses leave them out. */
export function present(item: Record<string, unknown>, dropNull = false): Record<string, unknown> {
  for (const name of Object.keys(item)) if (item[name] === undefined || (dropNull && item[name] === null)) delete item[name];
  return item;
}
