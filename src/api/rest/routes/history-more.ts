/**
 * Searches and reads of message subscriptions, correlated messages and decisions in the history
 * (ADR 010), as Camunda 8.8's REST API has them. Decision definitions and requirements are on
 * every partition, so partition 1 answers them; the others fan out like the other resources.
 */
import { ZenError } from '../../../errors.js';
import type { ResourceName } from '../../../history/search/resources.js';
import { decodeKey, invalid } from '../decode.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { camundaDocs, type RouteGroup, type RouteSpec } from '../route.js';
import { decodeSearch, getByKey, search, servedBy } from './history.js';

type Body = Record<string, unknown>;

interface Searchable {
  readonly resource: ResourceName;
  readonly path: string;
  readonly operationId: string;
  readonly docs: string;
  readonly tag: string;
  readonly what: string;
  readonly result: string;
}

const SEARCHABLE: readonly Searchable[] = [
  { resource: 'messageSubscriptions', path: '/message-subscriptions', operationId: 'searchMessageSubscriptions', docs: 'search-message-subscriptions', tag: 'Message subscription', what: 'message subscriptions (CREATED, CORRELATED, DELETED or MIGRATED)', result: 'MessageSubscriptionSearchQueryResult' },
  { resource: 'correlatedMessages', path: '/correlated-messages', operationId: 'searchCorrelatedMessages', docs: 'search-correlated-message-subscriptions', tag: 'Message subscription', what: 'message correlations, one per message and subscription that took it (message start events included)', result: 'CorrelatedMessageSubscriptionSearchQueryResult' },
  { resource: 'decisionDefinitions', path: '/decision-definitions', operationId: 'searchDecisionDefinitions', docs: 'search-decision-definitions', tag: 'Decision definition', what: 'deployed decisions (deleted ones leave the search)', result: 'DecisionDefinitionSearchQueryResult' },
  { resource: 'decisionRequirements', path: '/decision-requirements', operationId: 'searchDecisionRequirements', docs: 'search-decision-requirements', tag: 'Decision requirements', what: 'deployed decision requirements graphs (DMN documents)', result: 'DecisionRequirementsSearchQueryResult' },
  { resource: 'decisionInstances', path: '/decision-instances', operationId: 'searchDecisionInstances', docs: 'search-decision-instances', tag: 'Decision instance', what: 'decision instances: one per decision evaluated by a business rule task or EvaluateDecision', result: 'DecisionInstanceSearchQueryResult' },
];

function searchRoute(s: Searchable): RouteSpec {
  return {
    method: 'POST',
    path: `${s.path}/search`,
    operationId: s.operationId,
    summary: `Search ${s.path.slice(1).replace(/-/g, ' ')}`,
    description:
      `Searches the ${s.what}, from the history (kept for the history retention), served by a follower where one is ` +
      'in sync. Filters take a value or operators; sort by any field (the key breaks ties); page by offset or with cursors.',
    tag: s.tag,
    camundaDocs: camundaDocs(s.docs),
    body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
    success: { status: 200, description: 'The matching items.', schemaName: s.result },
    errors: [400, 503],
    handler: (ctx, request, reply) => search(ctx, reply, s.resource, decodeSearch(request.body as Body)),
  };
}

function getRoute(resource: ResourceName, path: string, param: string, operationId: string, docs: string, tag: string, what: string, result: string): RouteSpec {
  return {
    method: 'GET',
    path: `${path}/{${param}}`,
    operationId,
    summary: `Get ${what}`,
    description: `Returns the ${what} from the history.`,
    tag,
    camundaDocs: camundaDocs(docs),
    pathParams: [{ name: param, description: `The key of the ${what}.` }],
    success: { status: 200, description: `The ${what}.`, schemaName: result },
    errors: [400, 404, 503],
    handler: (ctx, request, reply) => getByKey(ctx, reply, resource, param, decodeKey((request.params as Body)[param], param), what),
  };
}

function xmlRoute(path: string, param: string, operationId: string, docs: string, tag: string, what: string): RouteSpec {
  return {
    method: 'GET',
    path: `${path}/{${param}}/xml`,
    operationId,
    summary: `Get ${what} XML`,
    description: `Returns the DMN XML the ${what} was deployed in, as deployed.`,
    tag,
    camundaDocs: camundaDocs(`get-${docs}-xml`),
    pathParams: [{ name: param, description: `The key of the ${what}.` }],
    success: { status: 200, description: 'The DMN XML.', contentType: 'text/xml' },
    errors: [400, 404, 503],
    handler: async (ctx, request, reply) => {
      const item = await getByKey(ctx, reply, 'decisionXml', param, decodeKey((request.params as Body)[param], param), what);
      return reply.code(200).type('text/xml').send(item.xml);
    },
  };
}

/** Camunda's decision instance key: the evaluation's key and the decision's 1-based position in it. */
const INSTANCE_KEY = /^\d{1,19}-\d{1,9}$/;

const getDecisionInstance: RouteSpec = {
  method: 'GET',
  path: '/decision-instances/{decisionEvaluationInstanceKey}',
  operationId: 'getDecisionInstance',
  summary: 'Get decision instance',
  description: 'Returns one evaluated decision with its evaluated inputs and matched rules, from the history.',
  tag: 'Decision instance',
  camundaDocs: camundaDocs('get-decision-instance'),
  pathParams: [{ name: 'decisionEvaluationInstanceKey', description: 'The decision instance: `<decisionEvaluationKey>-<index>`.' }],
  success: { status: 200, description: 'The decision instance.', schemaName: 'DecisionInstanceGetQueryResult' },
  errors: [400, 404, 503],
  handler: async (ctx, request, reply) => {
    const id = (request.params as Body).decisionEvaluationInstanceKey;
    if (typeof id !== 'string' || !INSTANCE_KEY.test(id)) {
      throw invalid(`Property 'decisionEvaluationInstanceKey' is invalid: expected '<decisionEvaluationKey>-<index>', but it was '${String(id)}'`);
    }
    const answer = await ctx.api.searchHistory('decisionInstanceDetails', { filter: { decisionEvaluationInstanceKey: id }, sort: [], page: { limit: 1 } });
    const [item] = answer.items;
    if (!item) throw new ZenError('NOT_FOUND', `Expected to find the decision instance with key '${id}', but none was found`);
    servedBy(reply, answer);
    return item;
  },
};

export const moreHistoryRoutes: RouteGroup = {
  name: 'history-more',
  routes: [
    ...SEARCHABLE.map(searchRoute),
    getRoute('decisionDefinitions', '/decision-definitions', 'decisionDefinitionKey', 'getDecisionDefinition', 'get-decision-definition', 'Decision definition', 'decision definition', 'DecisionDefinitionSearchResult'),
    xmlRoute('/decision-definitions', 'decisionDefinitionKey', 'getDecisionDefinitionXML', 'decision-definition', 'Decision definition', 'decision definition'),
    getRoute('decisionRequirements', '/decision-requirements', 'decisionRequirementsKey', 'getDecisionRequirements', 'get-decision-requirements', 'Decision requirements', 'decision requirements', 'DecisionRequirementsSearchResult'),
    xmlRoute('/decision-requirements', 'decisionRequirementsKey', 'getDecisionRequirementsXML', 'decision-requirements', 'Decision requirements', 'decision requirements'),
    getDecisionInstance,
  ],
};
