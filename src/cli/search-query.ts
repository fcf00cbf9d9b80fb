/**
 * `--filter k=v`, `--sort field[:asc|desc]` and `--limit N` into the body of a
 * `POST /v2/{resource}/search` (Camunda's `{filter, sort, page}`).
 */
import { InvalidArgumentError } from 'commander';

export interface SortField {
  readonly field: string;
  readonly order: 'ASC' | 'DESC';
}

export interface SearchOptions {
  readonly filter?: readonly (readonly [string, unknown])[];
  readonly sort?: readonly SortField[];
  readonly limit?: number;
}

/**
 * The value is JSON when it reads as JSON (`processDefinitionVersion=2`, `hasIncident=true`,
 * `state={"$in":["ACTIVE","COMPLETED"]}`, `elementId="\"42\""`), text otherwise (`state=ACTIVE`).
 * Digits stay text where a number would be wrong: for `…Key` fields (keys and correlation keys
 * are strings in the API) and beyond 2^53, where a number would lose digits.
 */
export function parseFilter(text: string): readonly [string, unknown] {
  const eq = text.indexOf('=');
  const name = eq === -1 ? '' : text.slice(0, eq).trim();
  if (name === '') throw new InvalidArgumentError('Expected field=value, e.g. state=ACTIVE');
  const raw = text.slice(eq + 1);
  return [name, filterValue(name, raw)];
}

function filterValue(name: string, raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (typeof value === 'number' && (name.endsWith('Key') || !Number.isSafeInteger(value))) return raw;
  return value;
}

export function parseSort(text: string): SortField {
  const match = /^([A-Za-z][\w.]*)(?::(asc|desc))?$/i.exec(text.trim());
  if (!match) throw new InvalidArgumentError('Expected field or field:asc or field:desc');
  return { field: match[1]!, order: match[2]?.toLowerCase() === 'desc' ? 'DESC' : 'ASC' };
}

/** A field filtered twice is a usage error, not a silent last-one-wins. */
export function searchBody(options: SearchOptions): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const [name, value] of options.filter ?? []) {
    if (name in filter) throw new InvalidArgumentError(`Filter field '${name}' is given more than once`);
    filter[name] = value;
  }
  return {
    filter,
    ...(options.sort && options.sort.length > 0 ? { sort: options.sort } : {}),
    ...(options.limit !== undefined ? { page: { limit: options.limit } } : {}),
  };
}
