/**
 * Batch operations over a process instance filter (Camunda 8.8): created on any node, kept on
 * partition 1, read from partition 1's history (`node/batch-operations.ts`, ADR 010).
 */
import type { BatchOperationType } from '../../../engine/records.js';
import type { CreateBatchOperationRequest } from '../../../node/api.js';
import { decodeKey, decodeRequiredString, invalid } from '../decode.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { camundaDocs, type RouteGroup, type RouteSpec } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';
import { decodeSearch, getByKey, search } from './history.js';

type Body = Record<string, unknown>;

function filterOf(body: Body): unknown {
  const filter = body.filter;
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) throw invalid("Expected a process instance filter in 'filter', but none was given");
  return filter;
}

function pairs(list: unknown, field: string): Array<{ sourceElementId: string; targetElementId: string }> {
  if (!Array.isArray(list)) throw invalid(`Expected '${field}' to be a list`);
  return (list as Body[]).map((m, i) => ({
    sourceElementId: decodeRequiredString(m?.sourceElementId, `${field}[${i}].sourceElementId`),
    targetElementId: decodeRequiredString(m?.targetElementId, `${field}[${i}].targetElementId`),
  }));
}

interface Creation {
  readonly path: string;
  readonly operationId: string;
  readonly docs: string;
  readonly type: BatchOperationType;
  readonly schemaName: keyof typeof REQUEST_SCHEMAS;
  readonly summary: string;
  readonly what: string;
  readonly decode: (body: Body) => Omit<CreateBatchOperationRequest, 'batchOperationType' | 'filter'>;
}

const CREATIONS: readonly Creation[] = [
  {
    path: '/process-instances/cancellation',
    operationId: 'cancelProcessInstancesBatchOperation',
    docs: 'cancel-process-instances-batch-operation',
    type: 'CANCEL_PROCESS_INSTANCE',
    schemaName: 'ProcessInstanceCancellationBatchOperationRequest',
    summary: 'Cancel process instances (batch)',
    what: 'cancels each running process instance the filter matches',
    decode: () => ({}),
  },
  {
    path: '/process-instances/incident-resolution',
    operationId: 'resolveIncidentsBatchOperation',
    docs: 'resolve-incidents-batch-operation',
    type: 'RESOLVE_INCIDENT',
    schemaName: 'ProcessInstanceIncidentResolutionBatchOperationRequest',
    summary: 'Resolve related incidents (batch)',
    what: 'resolves the active incidents of each running process instance the filter matches that has one (a job out of retries gets one retry first)',
    decode: () => ({}),
  },
  {
    path: '/process-instances/migration',
    operationId: 'migrateProcessInstancesBatchOperation',
    docs: 'migrate-process-instances-batch-operation',
    type: 'MIGRATE_PROCESS_INSTANCE',
    schemaName: 'ProcessInstanceMigrationBatchOperationRequest',
    summary: 'Migrate process instances (batch)',
    what: 'migrates each running process instance the filter matches with the migration plan',
    decode: (body) => {
      const plan = (body.migrationPlan ?? {}) as Body;
      return {
        migrationPlan: {
          targetProcessDefinitionKey: decodeKey(plan.targetProcessDefinitionKey, 'migrationPlan.targetProcessDefinitionKey'),
          mappingInstructions: pairs(plan.mappingInstructions, 'migrationPlan.mappingInstructions'),
        },
      };
    },
  },
  {
    path: '/process-instances/modification',
    operationId: 'modifyProcessInstancesBatchOperation',
    docs: 'modify-process-instances-batch-operation',
    type: 'MODIFY_PROCESS_INSTANCE',
    schemaName: 'ProcessInstanceModificationBatchOperationRequest',
    summary: 'Modify process instances (batch)',
    what: "moves the active instances of each move instruction's source element to its target element, in each running process instance the filter matches",
    decode: (body) => ({ moveInstructions: pairs(body.moveInstructions, 'moveInstructions') }),
  },
];

function creationRoute(c: Creation): RouteSpec {
  return {
    method: 'POST',
    path: c.path,
    operationId: c.operationId,
    summary: c.summary,
    description:
      `Creates a batch operation that ${c.what}. The instances are those of the history at the time of the request ` +
      '(read with strong consistency); partition 1 keeps the batch and its progress, and its leader runs the items a few at a time.',
    tag: 'Process instance',
    camundaDocs: camundaDocs(c.docs),
    body: { contentType: 'application/json', schemaName: c.schemaName, schema: REQUEST_SCHEMAS[c.schemaName], required: true },
    success: { status: 200, description: 'The batch operation was created.', schemaName: 'BatchOperationCreatedResult' },
    errors: [400, 503],
    handler: async (ctx, request) => {
      const body = request.body as Body;
      const created = await ctx.api.createBatchOperation({ batchOperationType: c.type, filter: filterOf(body), ...c.decode(body) });
      return { batchOperationKey: String(created.batchOperationKey), batchOperationType: created.batchOperationType };
    },
  };
}

const CHANGES = [
  { intent: 'CANCEL', path: 'cancellation', operationId: 'cancelBatchOperation', docs: 'cancel-batch-operation', summary: 'Cancel batch operation', what: 'Cancels a running batch operation: the items not run yet are not run (CANCELED).' },
  { intent: 'SUSPEND', path: 'suspension', operationId: 'suspendBatchOperation', docs: 'suspend-batch-operation', summary: 'Suspend batch operation', what: 'Suspends a running batch operation: no further item starts until it is resumed.' },
  { intent: 'RESUME', path: 'resumption', operationId: 'resumeBatchOperation', docs: 'resume-batch-operation', summary: 'Resume batch operation', what: 'Resumes a suspended batch operation.' },
] as const;

function changeRoute(c: (typeof CHANGES)[number]): RouteSpec {
  return {
    method: 'POST',
    path: `/batch-operations/{batchOperationKey}/${c.path}`,
    operationId: c.operationId,
    summary: c.summary,
    description: `${c.what} A batch operation that has ended is not found (404).`,
    tag: 'Batch operation',
    camundaDocs: camundaDocs(c.docs),
    pathParams: [{ name: 'batchOperationKey', description: 'The key of the batch operation.' }],
    success: { status: 204, description: 'Done on partition 1.' },
    errors: [400, 404, 409, 503],
    handler: async (ctx, request) => {
      await ctx.api.changeBatchOperation(decodeKey((request.params as Body).batchOperationKey, 'batchOperationKey'), c.intent);
      return undefined;
    },
  };
}

const searchBody = { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false } as const;

export const batchOperationRoutes: RouteGroup = {
  name: 'batch-operations',
  routes: [
    ...CREATIONS.map(creationRoute),
    {
      method: 'GET',
      path: '/batch-operations/{batchOperationKey}',
      operationId: 'getBatchOperation',
      summary: 'Get batch operation',
      description: 'Returns a batch operation with its state and counts, from the history of partition 1.',
      tag: 'Batch operation',
      camundaDocs: camundaDocs('get-batch-operation'),
      pathParams: [{ name: 'batchOperationKey', description: 'The key of the batch operation.' }],
      success: { status: 200, description: 'The batch operation.', schemaName: 'BatchOperationSearchResult' },
      errors: [400, 404, 503],
      handler: (ctx, request, reply) =>
        getByKey(ctx, reply, 'batchOperations', 'batchOperationKey', decodeKey((request.params as Body).batchOperationKey, 'batchOperationKey'), 'batch operation'),
    },
    {
      method: 'POST',
      path: '/batch-operations/search',
      operationId: 'searchBatchOperations',
      summary: 'Search batch operations',
      description: 'Searches the batch operations, running and ended, by key, operation type and state.',
      tag: 'Batch operation',
      camundaDocs: camundaDocs('search-batch-operations'),
      body: searchBody,
      success: { status: 200, description: 'The matching batch operations.', schemaName: 'BatchOperationSearchQueryResult' },
      errors: [400, 503],
      handler: (ctx, request, reply) => search(ctx, reply, 'batchOperations', decodeSearch(request)),
    },
    {
      method: 'POST',
      path: '/batch-operation-items/search',
      operationId: 'searchBatchOperationItems',
      summary: 'Search batch operation items',
      description: 'Searches the items of batch operations: one per process instance, with its state and, when it failed, why.',
      tag: 'Batch operation',
      camundaDocs: camundaDocs('search-batch-operation-items'),
      body: searchBody,
      success: { status: 200, description: 'The matching items.', schemaName: 'BatchOperationItemSearchQueryResult' },
      errors: [400, 503],
      handler: (ctx, request, reply) => search(ctx, reply, 'batchOperationItems', decodeSearch(request)),
    },
    ...CHANGES.map(changeRoute),
  ],
};
