/** The OpenAPI document describes exactly the routes the server registers, and is well-formed. */
import type { RouteOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { CAMUNDA_OPERATIONS } from '../../../src/api/rest/camunda-operations.js';
import { buildOpenApiDocument, ROUTE_GROUPS } from '../../../src/api/rest/index.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

/** Zen's own operations, which no Camunda version has. */
const ZEN_ONLY = new Set(['getOpenApiDocument', 'getApiDocs', 'listBackups', 'createBackup', 'streamChanges']);

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
type Operation = {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: { required: boolean; content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};

async function served(): Promise<{ doc: Doc; routes: { method: string; url: string }[]; app: ReturnType<typeof harness>['server']['app'] }> {
  const { server } = harness();
  const routes: { method: string; url: string }[] = [];
  server.app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url! });
    }
  });
  const res = await server.app.inject({ method: 'GET', url: '/v2/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return { doc: res.json() as Doc, routes, app: server.app };
}

function operations(doc: Doc): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

describe('GET /v2/openapi.json', () => {
  it('is an OpenAPI 3.0 document with the server under /v2', async () => {
    const { doc } = await served();
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.info).toMatchObject({ title: 'Zen Orchestration Cluster API', version: '0.1.0-test' });
    expect(doc.servers).toEqual([{ url: '/v2' }]);
  });

  it('documents every registered route', async () => {
    const { doc, routes } = await served();
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      expect(route.url.startsWith('/v2/')).toBe(true);
      const path = route.url.slice(3).replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    expect(operations(doc)).toHaveLength(routes.length);
  });

  it('routes every documented operation', async () => {
    const { doc, app } = await served();
    for (const { method, path } of operations(doc)) {
      const url = `/v2${path.replace(/\{([^}]+)\}/g, ':$1')}`;
      expect(app.hasRoute({ method: method as 'GET', url }), `${method} ${url}`).toBe(true);
    }
  });

  it('lists exactly the implemented operations', async () => {
    const { doc } = await served();
    expect(operations(doc).map((o) => `${o.method} ${o.path} ${o.op.operationId}`).sort()).toEqual(
      [
        'GET /topology getTopology',
        'GET /status getStatus',
        'GET /changes streamChanges',
        'POST /deployments createDeployment',
        'POST /process-instances createProcessInstance',
        'GET /process-instances/{processInstanceKey} getProcessInstance',
        'POST /process-instances/{processInstanceKey}/cancellation cancelProcessInstance',
        'POST /process-instances/{processInstanceKey}/modification modifyProcessInstance',
        'POST /process-instances/{processInstanceKey}/migration migrateProcessInstance',
        'POST /resources/{resourceKey}/deletion deleteResource',
        'POST /jobs/activation activateJobs',
        'POST /jobs/{jobKey}/completion completeJob',
        'POST /jobs/{jobKey}/failure failJob',
        'POST /jobs/{jobKey}/error throwJobError',
        'PATCH /jobs/{jobKey} updateJob',
        'POST /messages/publication publishMessage',
        'POST /messages/correlation correlateMessage',
        'POST /signals/broadcast broadcastSignal',
        'POST /conditionals/evaluation evaluateConditionals',
        'POST /decision-definitions/evaluation evaluateDecision',
        'PUT /element-instances/{elementInstanceKey}/variables createElementInstanceVariables',
        'POST /element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation activateAdHocSubProcessActivities',
        'POST /incidents/{incidentKey}/resolution resolveIncident',
        'POST /user-tasks/search searchUserTasks',
        'GET /user-tasks/{userTaskKey} getUserTask',
        'GET /user-tasks/{userTaskKey}/form getUserTaskForm',
        'POST /user-tasks/{userTaskKey}/assignment assignUserTask',
        'DELETE /user-tasks/{userTaskKey}/assignee unassignUserTask',
        'POST /user-tasks/{userTaskKey}/completion completeUserTask',
        'PATCH /user-tasks/{userTaskKey} updateUserTask',
        'PUT /clock pinClock',
        'POST /clock/reset resetClock',
        'POST /process-instances/search searchProcessInstances',
        'POST /element-instances/search searchElementInstances',
        'POST /variables/search searchVariables',
        'POST /incidents/search searchIncidents',
        'POST /jobs/search searchJobs',
        'POST /process-definitions/search searchProcessDefinitions',
        'GET /element-instances/{elementInstanceKey} getElementInstance',
        'GET /variables/{variableKey} getVariable',
        'GET /incidents/{incidentKey} getIncident',
        'GET /process-definitions/{processDefinitionKey} getProcessDefinition',
        'POST /process-instances/{processInstanceKey}/incidents/search searchProcessInstanceIncidents',
        'POST /user-tasks/{userTaskKey}/variables/search searchUserTaskVariables',
        'POST /message-subscriptions/search searchMessageSubscriptions',
        'POST /correlated-messages/search searchCorrelatedMessages',
        'POST /decision-definitions/search searchDecisionDefinitions',
        'GET /decision-definitions/{decisionDefinitionKey} getDecisionDefinition',
        'GET /decision-definitions/{decisionDefinitionKey}/xml getDecisionDefinitionXML',
        'POST /decision-requirements/search searchDecisionRequirements',
        'GET /decision-requirements/{decisionRequirementsKey} getDecisionRequirements',
        'GET /decision-requirements/{decisionRequirementsKey}/xml getDecisionRequirementsXML',
        'POST /decision-instances/search searchDecisionInstances',
        'GET /decision-instances/{decisionEvaluationInstanceKey} getDecisionInstance',
        'POST /process-definitions/{processDefinitionKey}/statistics/element-instances getProcessDefinitionStatistics',
        'GET /process-instances/{processInstanceKey}/statistics/element-instances getProcessInstanceStatistics',
        'GET /process-instances/{processInstanceKey}/sequence-flows getProcessInstanceSequenceFlows',
        'GET /process-instances/{processInstanceKey}/call-hierarchy getProcessInstanceCallHierarchy',
        'GET /process-definitions/{processDefinitionKey}/xml getProcessDefinitionXML',
        'POST /process-instances/cancellation cancelProcessInstancesBatchOperation',
        'POST /process-instances/incident-resolution resolveIncidentsBatchOperation',
        'POST /process-instances/migration migrateProcessInstancesBatchOperation',
        'POST /process-instances/modification modifyProcessInstancesBatchOperation',
        'GET /batch-operations/{batchOperationKey} getBatchOperation',
        'POST /batch-operations/search searchBatchOperations',
        'POST /batch-operation-items/search searchBatchOperationItems',
        'POST /batch-operations/{batchOperationKey}/cancellation cancelBatchOperation',
        'POST /batch-operations/{batchOperationKey}/suspension suspendBatchOperation',
        'POST /batch-operations/{batchOperationKey}/resumption resumeBatchOperation',
        'GET /authentication/me getAuthentication',
        'POST /users createUser',
        'POST /users/search searchUsers',
        'GET /users/{username} getUser',
        'PUT /users/{username} updateUser',
        'DELETE /users/{username} deleteUser',
        'POST /authorizations createAuthorization',
        'POST /authorizations/search searchAuthorizations',
        'GET /authorizations/{authorizationKey} getAuthorization',
        'PUT /authorizations/{authorizationKey} updateAuthorization',
        'DELETE /authorizations/{authorizationKey} deleteAuthorization',
        'POST /roles createRole',
        'POST /roles/search searchRoles',
        'GET /roles/{roleId} getRole',
        'PUT /roles/{roleId} updateRole',
        'DELETE /roles/{roleId} deleteRole',
        'POST /roles/{roleId}/users/search searchUsersForRole',
        'PUT /roles/{roleId}/users/{username} assignRoleToUser',
        'DELETE /roles/{roleId}/users/{username} unassignRoleFromUser',
        'POST /roles/{roleId}/clients/search searchClientsForRole',
        'PUT /roles/{roleId}/clients/{clientId} assignRoleToClient',
        'DELETE /roles/{roleId}/clients/{clientId} unassignRoleFromClient',
        'POST /roles/{roleId}/groups/search searchGroupsForRole',
        'PUT /roles/{roleId}/groups/{groupId} assignRoleToGroup',
        'DELETE /roles/{roleId}/groups/{groupId} unassignRoleFromGroup',
        'POST /roles/{roleId}/mapping-rules/search searchMappingRulesForRole',
        'PUT /roles/{roleId}/mapping-rules/{mappingRuleId} assignRoleToMappingRule',
        'DELETE /roles/{roleId}/mapping-rules/{mappingRuleId} unassignRoleFromMappingRule',
        'POST /groups createGroup',
        'POST /groups/search searchGroups',
        'GET /groups/{groupId} getGroup',
        'PUT /groups/{groupId} updateGroup',
        'DELETE /groups/{groupId} deleteGroup',
        'POST /groups/{groupId}/users/search searchUsersForGroup',
        'PUT /groups/{groupId}/users/{username} assignUserToGroup',
        'DELETE /groups/{groupId}/users/{username} unassignUserFromGroup',
        'POST /groups/{groupId}/clients/search searchClientsForGroup',
        'PUT /groups/{groupId}/clients/{clientId} assignClientToGroup',
        'DELETE /groups/{groupId}/clients/{clientId} unassignClientFromGroup',
        'POST /groups/{groupId}/roles/search searchRolesForGroup',
        'POST /groups/{groupId}/mapping-rules/search searchMappingRulesForGroup',
        'PUT /groups/{groupId}/mapping-rules/{mappingRuleId} assignMappingRuleToGroup',
        'DELETE /groups/{groupId}/mapping-rules/{mappingRuleId} unassignMappingRuleFromGroup',
        'POST /mapping-rules createMappingRule',
        'POST /mapping-rules/search searchMappingRule',
        'GET /mapping-rules/{mappingRuleId} getMappingRule',
        'PUT /mapping-rules/{mappingRuleId} updateMappingRule',
        'DELETE /mapping-rules/{mappingRuleId} deleteMappingRule',
        'POST /tenants createTenant',
        'POST /tenants/search searchTenants',
        'GET /tenants/{tenantId} getTenant',
        'PUT /tenants/{tenantId} updateTenant',
        'DELETE /tenants/{tenantId} deleteTenant',
        'PUT /tenants/{tenantId}/users/{username} assignUserToTenant',
        'DELETE /tenants/{tenantId}/users/{username} unassignUserFromTenant',
        'POST /tenants/{tenantId}/users/search searchUsersForTenant',
        'PUT /tenants/{tenantId}/clients/{clientId} assignClientToTenant',
        'DELETE /tenants/{tenantId}/clients/{clientId} unassignClientFromTenant',
        'POST /tenants/{tenantId}/clients/search searchClientsForTenant',
        'PUT /tenants/{tenantId}/groups/{groupId} assignGroupToTenant',
        'DELETE /tenants/{tenantId}/groups/{groupId} unassignGroupFromTenant',
        'POST /tenants/{tenantId}/groups/search searchGroupIdsForTenant',
        'PUT /tenants/{tenantId}/roles/{roleId} assignRoleToTenant',
        'DELETE /tenants/{tenantId}/roles/{roleId} unassignRoleFromTenant',
        'POST /tenants/{tenantId}/roles/search searchRolesForTenant',
        'PUT /tenants/{tenantId}/mapping-rules/{mappingRuleId} assignMappingRuleToTenant',
        'DELETE /tenants/{tenantId}/mapping-rules/{mappingRuleId} unassignMappingRuleFromTenant',
        'POST /tenants/{tenantId}/mapping-rules/search searchMappingsForTenant',
        'GET /openapi.json getOpenApiDocument',
        'GET /docs getApiDocs',
        'GET /backups listBackups',
        'POST /backups createBackup',
      ].sort(),
    );
  });

  it("uses Camunda 8.8's path and operationId for every mirrored operation", async () => {
    const { doc } = await served();
    for (const { method, path, op } of operations(doc)) {
      if (ZEN_ONLY.has(op.operationId)) continue;
      expect(CAMUNDA_OPERATIONS).toContainEqual({ method, path, operationId: op.operationId });
    }
  });

  it('has unique operationIds, tags that exist, and described responses', async () => {
    const { doc } = await served();
    const ops = operations(doc);
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { op } of ops) {
      expect(op.summary).toBeTruthy();
      for (const tag of op.tags) expect(tags.has(tag)).toBe(true);
      expect(Object.keys(op.responses).length).toBeGreaterThan(1);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(status).toMatch(/^[1-5][0-9][0-9]$/);
        expect(response.description).toBeTruthy();
        if (Number(status) >= 400) {
          expect(response.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetail' } } });
        }
        if (status === '204') expect(response.content).toBeUndefined();
      }
    }
  });

  it('declares every path parameter, as a key string (a username or identity id as a string)', async () => {
    const named = new Set(['username', 'tenantId', 'clientId', 'groupId', 'roleId', 'mappingRuleId']);
    const { doc } = await served();
    for (const { path, op } of operations(doc)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).map((p) => p.name)).toEqual(inPath);
      for (const p of op.parameters ?? []) {
        const schema = named.has(p.name) ? { type: 'string', maxLength: 256 } : { type: 'string', pattern: '^-?[0-9]+$' };
        expect(p).toMatchObject({ in: 'path', required: true, schema });
      }
    }
  });

  it('resolves every $ref to a component schema, and every component schema is used', async () => {
    const { doc } = await served();
    const refs = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref') refs.add(v as string);
          else walk(v);
        }
      }
    };
    walk(doc);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
    for (const name of Object.keys(doc.components.schemas)) {
      expect(refs.has(`#/components/schemas/${name}`), name).toBe(true);
    }
  });

  it('keeps to OpenAPI 3.0 schema keywords (no type arrays, no $id, nullable only with a type)', async () => {
    const { doc } = await served();
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      expect(Array.isArray(schema.type), where).toBe(false);
      expect(schema.$id, where).toBeUndefined();
      if (schema.nullable !== undefined) expect(schema.type, where).toBeDefined();
      for (const [k, v] of Object.entries(schema)) walk(v, `${where}.${k}`);
    };
    walk(doc.components.schemas, 'components.schemas');
  });

  it('documents JSON bodies with the schemas the routes validate with', async () => {
    const { doc } = await served();
    const routes = ROUTE_GROUPS.flatMap((g) => g.routes);
    for (const route of routes) {
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      if (!route.body) {
        expect(op.requestBody).toBeUndefined();
        continue;
      }
      expect(op.requestBody!.required).toBe(route.body.required);
      const { $ref } = op.requestBody!.content[route.body.contentType]!.schema;
      expect(doc.components.schemas[$ref.split('/').pop()!]).toEqual(route.body.schema);
    }
  });

  it('is the document buildOpenApiDocument writes', async () => {
    const { doc } = await served();
    const routes = [...ROUTE_GROUPS.flatMap((g) => g.routes)];
    const built = JSON.parse(JSON.stringify(buildOpenApiDocument(routes, '0.1.0-test'))) as Doc;
    const { ['/openapi.json']: _self, ['/docs']: _page, ...paths } = doc.paths;
    expect(built.paths).toEqual(paths);
  });
});
