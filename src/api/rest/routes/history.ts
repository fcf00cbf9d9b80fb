/**
 * Searches and reads of the history (ADR 010): `POST /v2/{resource}/search` for process
 * instances, element instances, variables, incidents, jobs and process definitions, and `GET`
 * by key where Camunda has one. Running and finished alike; served by followers where they can.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZenError } from '../../../errors.js';
import type { HistorySearchAnswer, HistorySearchRequest } from '../../../node/api.js';
import type { ResourceName } from '../../../history/search/resources.js';
import type { SortKey } from '../../../history/search/run.js';
import { decodeKey, invalid } from '../decode.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { camundaDocs, type RouteGroup, type RouteSpec } from '../route.js';
import type { RestContext } from '../types.js';

type Body = Record<string, unknown>;
const DEFAULT_LIMIT = 100;

/** `Zen-Consistency: strong`: the search sees every write acknowledged before it (ADR 010). */
function fresh(request: FastifyRequest): boolean {
  const value = request.headers['zen-consistency'];
  if (value === undefined) return false;
  if (value === 'strong') return true;
  if (value === 'eventual') return false;
  throw invalid(`Header Zen-Consistency must be 'strong' or 'eventual', not '${String(value)}'`);
}

/** Camunda's `{filter, sort, page}`, checked beyond what the schema says. */
export function decodeSearch(body: Body | null | undefined): HistorySearchRequest {
  const b = body ?? {};
  const sort: SortKey[] = ((b.sort as Body[] | null | undefined) ?? []).map((s) => ({
    field: String(s.field),
    order: String(s.order ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC',
  }));
  const page = (b.page ?? {}) as Body;
  const given = ['from', 'after', 'before'].filter((name) => page[name] !== undefined && page[name] !== null);
  if (given.length > 1) throw invalid(`page takes one of from, after and before, not ${given.join(' and ')}`);
  return {
    filter: b.filter ?? {},
    sort,
    page: {
      limit: typeof page.limit === 'number' ? page.limit : DEFAULT_LIMIT,
      ...(typeof page.from === 'number' ? { from: page.from } : {}),
      ...(typeof page.after === 'string' ? { after: page.after } : {}),
      ...(typeof page.before === 'string' ? { before: page.before } : {}),
    },
  };
}

export function servedBy(reply: FastifyReply, answer: HistorySearchAnswer): void {
  void reply.header('Zen-Served-By', answer.servedBy.map((s) => `${s.partitionId}:${s.nodeId}/${s.role}`).join(', '));
}

export async function search(ctx: RestContext, reply: FastifyReply, resource: ResourceName, request: HistorySearchRequest) {
  const answer = await ctx.api.searchHistory(resource, request);
  servedBy(reply, answer);
  return { items: answer.items, page: answer.page };
}

interface Searchable {
  readonly resource: ResourceName;
  readonly path: string;
  readonly operationId: string;
  readonly docs: string;
  readonly tag: string;
  readonly what: string;
  readonly item: string;
}

const SEARCHABLE: readonly Searchable[] = [
  { resource: 'processInstances', path: '/process-instances', operationId: 'searchProcessInstances', docs: 'search-process-instances', tag: 'Process instance', what: 'process instances', item: 'ProcessInstance' },
  { resource: 'elementInstances', path: '/element-instances', operationId: 'searchElementInstances', docs: 'search-element-instances', tag: 'Element instance', what: 'element instances', item: 'ElementInstance' },
  { resource: 'variables', path: '/variables', operationId: 'searchVariables', docs: 'search-variables', tag: 'Variable', what: 'variables', item: 'Variable' },
  { resource: 'incidents', path: '/incidents', operationId: 'searchIncidents', docs: 'search-incidents', tag: 'Incident', what: 'incidents', item: 'Incident' },
  { resource: 'jobs', path: '/jobs', operationId: 'searchJobs', docs: 'search-jobs', tag: 'Job', what: 'jobs', item: 'Job' },
  { resource: 'processDefinitions', path: '/process-definitions', operationId: 'searchProcessDefinitions', docs: 'search-process-definitions', tag: 'Process definition', what: 'process definitions', item: 'ProcessDefinition' },
];

function searchRoute(s: Searchable): RouteSpec {
  return {
    method: 'POST',
    path: `${s.path}/search`,
    operationId: s.operationId,
    summary: `Search ${s.what}`,
    description:
      `Searches the ${s.what} of every partition, running and finished (kept for the history retention), ` +
      'served by a follower of each partition where one is in sync. Filters take a value or operators; sort by ' +
      'any field (the key breaks ties); page by offset or with the cursors of a previous page. The Zen-Served-By ' +
      'header names, per partition, the node and role that answered; a partition that cannot answer fails the search (503). ' +
      'Followers may be a moment behind; with the header `Zen-Consistency: strong` the search sees every write acknowledged before it.',
    tag: s.tag,
    camundaDocs: camundaDocs(s.docs),
    body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
    success: { status: 200, description: `The matching ${s.what}.`, schemaName: `${s.item}SearchQueryResult` },
    errors: [400, 503],
    handler: (ctx, request, reply) => search(ctx, reply, s.resource, { ...decodeSearch(request.body as Body), fresh: fresh(request) }),
  };
}

interface Gettable {
  readonly resource: ResourceName;
  readonly path: string;
  readonly param: string;
  readonly operationId: string;
  readonly docs: string;
  readonly tag: string;
  readonly what: string;
  readonly item: string;
}

const GETTABLE: readonly Gettable[] = [
  { resource: 'elementInstances', path: '/element-instances', param: 'elementInstanceKey', operationId: 'getElementInstance', docs: 'get-element-instance', tag: 'Element instance', what: 'element instance', item: 'ElementInstance' },
  { resource: 'variables', path: '/variables', param: 'variableKey', operationId: 'getVariable', docs: 'get-variable', tag: 'Variable', what: 'variable', item: 'Variable' },
  { resource: 'incidents', path: '/incidents', param: 'incidentKey', operationId: 'getIncident', docs: 'get-incident', tag: 'Incident', what: 'incident', item: 'Incident' },
  { resource: 'processDefinitions', path: '/process-definitions', param: 'processDefinitionKey', operationId: 'getProcessDefinition', docs: 'get-process-definition', tag: 'Process definition', what: 'process definition', item: 'ProcessDefinition' },
];

/** One item by its key, from the history; 404 naming the key when there is none. */
export async function getByKey(ctx: RestContext, reply: FastifyReply, resource: ResourceName, field: string, key: bigint, what: string) {
  const answer = await ctx.api.searchHistory(resource, { filter: { [field]: String(key) }, sort: [], page: { limit: 1 } });
  const [item] = answer.items;
  if (!item) throw new ZenError('NOT_FOUND', `Expected to find the ${what} with key '${key}', but none was found`);
  servedBy(reply, answer);
  return item;
}

function getRoute(g: Gettable): RouteSpec {
  return {
    method: 'GET',
    path: `${g.path}/{${g.param}}`,
    operationId: g.operationId,
    summary: `Get ${g.what}`,
    description: `Returns the ${g.what}, running or finished, from the history of its partition.`,
    tag: g.tag,
    camundaDocs: camundaDocs(g.docs),
    pathParams: [{ name: g.param, description: `The key of the ${g.what}.` }],
    success: { status: 200, description: `The ${g.what}.`, schemaName: `${g.item}SearchResult` },
    errors: [400, 404, 503],
    handler: (ctx, request, reply) => getByKey(ctx, reply, g.resource, g.param, decodeKey((request.params as Body)[g.param], g.param), g.what),
  };
}

const instanceIncidents: RouteSpec = {
  method: 'POST',
  path: '/process-instances/{processInstanceKey}/incidents/search',
  operationId: 'searchProcessInstanceIncidents',
  summary: "Search a process instance's incidents",
  description: 'Searches the incidents of one process instance, active and resolved; the filter narrows them further.',
  tag: 'Process instance',
  camundaDocs: camundaDocs('search-process-instance-incidents'),
  pathParams: [{ name: 'processInstanceKey', description: 'The key of the process instance.' }],
  body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
  success: { status: 200, description: 'The incidents.', schemaName: 'IncidentSearchQueryResult' },
  errors: [400, 503],
  handler: (ctx, request, reply) => {
    const key = decodeKey((request.params as Body).processInstanceKey, 'processInstanceKey');
    const query = { ...decodeSearch(request.body as Body), fresh: fresh(request) };
    const filter = { ...((query.filter ?? {}) as Body), processInstanceKey: String(key) };
    return search(ctx, reply, 'incidents', { ...query, filter });
  },
};

export const historyRoutes: RouteGroup = {
  name: 'history',
  routes: [...SEARCHABLE.map(searchRoute), ...GETTABLE.map(getRoute), instanceIncidents],
};
