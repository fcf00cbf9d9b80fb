/**
 * The list's filters as the form holds them, as the address bar keeps them (so a filtered list
 * is a link to share or reload) and as Camunda's process instance filter sends them.
 */

export interface Filters {
  readonly process: string;
  readonly version: string;
  readonly state: '' | 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  /** Dates as a date input gives them (yyyy-mm-dd), in the browser's time zone. */
  readonly startedFrom: string;
  readonly startedTo: string;
  readonly variableName: string;
  readonly variableValue: string;
  readonly incidentsOnly: boolean;
}

export const NO_FILTERS: Filters = {
  process: '',
  version: '',
  state: '',
  startedFrom: '',
  startedTo: '',
  variableName: '',
  variableValue: '',
  incidentsOnly: false,
};

const PARAMS: Record<keyof Filters, string> = {
  process: 'process',
  version: 'version',
  state: 'state',
  startedFrom: 'from',
  startedTo: 'to',
  variableName: 'var',
  variableValue: 'value',
  incidentsOnly: 'incidents',
};

const STATES = new Set(['ACTIVE', 'COMPLETED', 'TERMINATED']);

export function filtersFromQuery(search: string): Filters {
  const q = new URLSearchParams(search);
  const text = (name: keyof Filters) => q.get(PARAMS[name]) ?? '';
  const state = text('state');
  return {
    process: text('process'),
    version: /^\d+$/.test(text('version')) ? text('version') : '',
    state: STATES.has(state) ? (state as Filters['state']) : '',
    startedFrom: text('startedFrom'),
    startedTo: text('startedTo'),
    variableName: text('variableName'),
    variableValue: text('variableValue'),
    incidentsOnly: q.get(PARAMS.incidentsOnly) === '1',
  };
}

export function filtersToQuery(filters: Filters): string {
  const q = new URLSearchParams();
  for (const name of Object.keys(PARAMS) as (keyof Filters)[]) {
    const value = filters[name];
    if (value === true) q.set(PARAMS[name], '1');
    else if (typeof value === 'string' && value !== '') q.set(PARAMS[name], value);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The start of a local day, or the start of the day after (an inclusive "to" date). */
function dayStart(date: string, nextDay = false): string | undefined {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d + (nextDay ? 1 : 0)).toISOString();
}

/** Camunda's ProcessInstanceFilter for the form's values; an empty field filters nothing. */
export function toApiFilter(filters: Filters): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (filters.process) filter.processDefinitionId = filters.process;
  if (filters.process && filters.version) filter.processDefinitionVersion = Number(filters.version);
  if (filters.state) filter.state = filters.state;
  if (filters.incidentsOnly) filter.hasIncident = true;
  const from = filters.startedFrom ? dayStart(filters.startedFrom) : undefined;
  const to = filters.startedTo ? dayStart(filters.startedTo, true) : undefined;
  if (from || to) filter.startDate = { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) };
  const name = filters.variableName.trim();
  // A value that is not JSON is meant as a string: the search takes it so (`ok` is `"ok"`).
  if (name && filters.variableValue.trim()) filter.variables = [{ name, value: filters.variableValue.trim() }];
  return filter;
}

export const hasFilters = (filters: Filters): boolean => filtersToQuery(filters) !== '';
