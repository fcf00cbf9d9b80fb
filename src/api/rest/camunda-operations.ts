/**
 * The operations of Camunda 8.8's Orchestration Cluster API (paths below /v2, from `rest-api.yaml`
 * in camunda/camunda), plus the few of later versions Zen serves (EXTRA_TABLE), so a request for one Zen does not serve yet is answered 501 with the
 * operation's name instead of a bare 404. The ones Zen serves are listed too; the fallback only
 * sees requests no route matched.
 */

export interface CamundaOperation {
  readonly method: string;
  /** OpenAPI-style path below /v2. */
  readonly path: string;
  readonly operationId: string;
}

const TABLE = `
GET /topology getTopology
GET /status getStatus
GET /license getLicense
GET /authentication/me getAuthentication
GET /system/usage-metrics getUsageMetrics
PUT /clock pinClock
POST /clock/reset resetClock
POST /deployments createDeployment
POST /resources/{resourceKey}/deletion deleteResource
GET /resources/{resourceKey} getResource
GET /resources/{resourceKey}/content getResourceContent
POST /process-definitions/search searchProcessDefinitions
GET /process-definitions/{processDefinitionKey} getProcessDefinition
GET /process-definitions/{processDefinitionKey}/xml getProcessDefinitionXML
GET /process-definitions/{processDefinitionKey}/form getStartProcessForm
POST /process-definitions/{processDefinitionKey}/statistics/element-instances getProcessDefinitionStatistics
POST /process-instances createProcessInstance
GET /process-instances/{processInstanceKey} getProcessInstance
GET /process-instances/{processInstanceKey}/sequence-flows getProcessInstanceSequenceFlows
GET /process-instances/{processInstanceKey}/statistics/element-instances getProcessInstanceStatistics
GET /process-instances/{processInstanceKey}/call-hierarchy getProcessInstanceCallHierarchy
POST /process-instances/search searchProcessInstances
POST /process-instances/{processInstanceKey}/incidents/search searchProcessInstanceIncidents
POST /process-instances/{processInstanceKey}/cancellation cancelProcessInstance
POST /process-instances/{processInstanceKey}/migration migrateProcessInstance
POST /process-instances/{processInstanceKey}/modification modifyProcessInstance
POST /process-instances/cancellation cancelProcessInstancesBatchOperation
POST /process-instances/incident-resolution resolveIncidentsBatchOperation
POST /process-instances/migration migrateProcessInstancesBatchOperation
POST /process-instances/modification modifyProcessInstancesBatchOperation
POST /element-instances/search searchElementInstances
GET /element-instances/{elementInstanceKey} getElementInstance
PUT /element-instances/{elementInstanceKey}/variables createElementInstanceVariables
POST /element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation activateAdHocSubProcessActivities
POST /jobs/activation activateJobs
POST /jobs/search searchJobs
POST /jobs/{jobKey}/completion completeJob
POST /jobs/{jobKey}/failure failJob
POST /jobs/{jobKey}/error throwJobError
PATCH /jobs/{jobKey} updateJob
POST /incidents/search searchIncidents
GET /incidents/{incidentKey} getIncident
POST /incidents/{incidentKey}/resolution resolveIncident
POST /messages/publication publishMessage
POST /messages/correlation correlateMessage
POST /correlated-messages/search searchCorrelatedMessages
POST /message-subscriptions/search searchMessageSubscriptions
POST /signals/broadcast broadcastSignal
POST /variables/search searchVariables
GET /variables/{variableKey} getVariable
POST /user-tasks/search searchUserTasks
GET /user-tasks/{userTaskKey} getUserTask
PATCH /user-tasks/{userTaskKey} updateUserTask
GET /user-tasks/{userTaskKey}/form getUserTaskForm
POST /user-tasks/{userTaskKey}/completion completeUserTask
POST /user-tasks/{userTaskKey}/assignment assignUserTask
DELETE /user-tasks/{userTaskKey}/assignee unassignUserTask
POST /user-tasks/{userTaskKey}/variables/search searchUserTaskVariables
POST /decision-definitions/search searchDecisionDefinitions
GET /decision-definitions/{decisionDefinitionKey} getDecisionDefinition
GET /decision-definitions/{decisionDefinitionKey}/xml getDecisionDefinitionXML
POST /decision-definitions/evaluation evaluateDecision
POST /decision-requirements/search searchDecisionRequirements
GET /decision-requirements/{decisionRequirementsKey} getDecisionRequirements
GET /decision-requirements/{decisionRequirementsKey}/xml getDecisionRequirementsXML
POST /decision-instances/search searchDecisionInstances
GET /decision-instances/{decisionEvaluationInstanceKey} getDecisionInstance
POST /batch-operations/search searchBatchOperations
GET /batch-operations/{batchOperationKey} getBatchOperation
POST /batch-operations/{batchOperationKey}/cancellation cancelBatchOperation
POST /batch-operations/{batchOperationKey}/suspension suspendBatchOperation
POST /batch-operations/{batchOperationKey}/resumption resumeBatchOperation
POST /batch-operation-items/search searchBatchOperationItems
POST /documents createDocument
POST /documents/batch createDocuments
GET /documents/{documentId} getDocument
DELETE /documents/{documentId} deleteDocument
POST /documents/{documentId}/links createDocumentLink
POST /authorizations createAuthorization
POST /authorizations/search searchAuthorizations
GET /authorizations/{authorizationKey} getAuthorization
PUT /authorizations/{authorizationKey} updateAuthorization
DELETE /authorizations/{authorizationKey} deleteAuthorization
POST /users createUser
POST /users/search searchUsers
GET /users/{username} getUser
PUT /users/{username} updateUser
DELETE /users/{username} deleteUser
POST /setup/user createAdminUser
POST /roles createRole
POST /roles/search searchRoles
GET /roles/{roleId} getRole
PUT /roles/{roleId} updateRole
DELETE /roles/{roleId} deleteRole
POST /roles/{roleId}/users/search searchUsersForRole
PUT /roles/{roleId}/users/{username} assignRoleToUser
DELETE /roles/{roleId}/users/{username} unassignRoleFromUser
POST /roles/{roleId}/clients/search searchClientsForRole
PUT /roles/{roleId}/clients/{clientId} assignRoleToClient
DELETE /roles/{roleId}/clients/{clientId} unassignRoleFromClient
POST /roles/{roleId}/groups/search searchGroupsForRole
PUT /roles/{roleId}/groups/{groupId} assignRoleToGroup
DELETE /roles/{roleId}/groups/{groupId} unassignRoleFromGroup
POST /roles/{roleId}/mapping-rules/search searchMappingRulesForRole
PUT /roles/{roleId}/mapping-rules/{mappingRuleId} assignRoleToMappingRule
DELETE /roles/{roleId}/mapping-rules/{mappingRuleId} unassignRoleFromMappingRule
POST /groups createGroup
POST /groups/search searchGroups
GET /groups/{groupId} getGroup
PUT /groups/{groupId} updateGroup
DELETE /groups/{groupId} deleteGroup
POST /groups/{groupId}/users/search searchUsersForGroup
PUT /groups/{groupId}/users/{username} assignUserToGroup
DELETE /groups/{groupId}/users/{username} unassignUserFromGroup
POST /groups/{groupId}/clients/search searchClientsForGroup
PUT /groups/{groupId}/clients/{clientId} assignClientToGroup
DELETE /groups/{groupId}/clients/{clientId} unassignClientFromGroup
POST /groups/{groupId}/roles/search searchRolesForGroup
POST /groups/{groupId}/mapping-rules/search searchMappingRulesForGroup
PUT /groups/{groupId}/mapping-rules/{mappingRuleId} assignMappingRuleToGroup
DELETE /groups/{groupId}/mapping-rules/{mappingRuleId} unassignMappingRuleFromGroup
POST /mapping-rules createMappingRule
POST /mapping-rules/search searchMappingRule
GET /mapping-rules/{mappingRuleId} getMappingRule
PUT /mapping-rules/{mappingRuleId} updateMappingRule
DELETE /mapping-rules/{mappingRuleId} deleteMappingRule
POST /tenants createTenant
POST /tenants/search searchTenants
GET /tenants/{tenantId} getTenant
PUT /tenants/{tenantId} updateTenant
DELETE /tenants/{tenantId} deleteTenant
POST /tenants/{tenantId}/users/search searchUsersForTenant
PUT /tenants/{tenantId}/users/{username} assignUserToTenant
DELETE /tenants/{tenantId}/users/{username} unassignUserFromTenant
POST /tenants/{tenantId}/clients/search searchClientsForTenant
PUT /tenants/{tenantId}/clients/{clientId} assignClientToTenant
DELETE /tenants/{tenantId}/clients/{clientId} unassignClientFromTenant
POST /tenants/{tenantId}/groups/search searchGroupIdsForTenant
PUT /tenants/{tenantId}/groups/{groupId} assignGroupToTenant
DELETE /tenants/{tenantId}/groups/{groupId} unassignGroupFromTenant
POST /tenants/{tenantId}/roles/search searchRolesForTenant
PUT /tenants/{tenantId}/roles/{roleId} assignRoleToTenant
DELETE /tenants/{tenantId}/roles/{roleId} unassignRoleFromTenant
POST /tenants/{tenantId}/mapping-rules/search searchMappingsForTenant
PUT /tenants/{tenantId}/mapping-rules/{mappingRuleId} assignMappingRuleToTenant
DELETE /tenants/{tenantId}/mapping-rules/{mappingRuleId} unassignMappingRuleFromTenant
`;

/** Operations Zen serves that Camunda added after 8.8, in the shape of the version that added them. */
const EXTRA_TABLE = `
POST /conditionals/evaluation evaluateConditionals
`;

export const CAMUNDA_OPERATIONS: readonly CamundaOperation[] = `${TABLE.trim()}\n${EXTRA_TABLE.trim()}`
  .split('\n')
  .map((line) => {
    const [method, path, operationId] = line.trim().split(/\s+/) as [string, string, string];
    return { method, path, operationId };
  });

/** Literal segments win over parameters: `/process-instances/search` is not `{processInstanceKey}`. */
function literals(template: string): number {
  return template.split('/').filter((s) => s !== '' && !s.startsWith('{')).length;
}

/** Whether a concrete path matches an OpenAPI path template (`/jobs/{jobKey}`); both below /v2. */
export function pathMatches(template: string, path: string): boolean {
  const expected = template.split('/');
  const actual = path.split('/');
  return (
    expected.length === actual.length &&
    expected.every((segment, i) => (segment.startsWith('{') ? actual[i] !== '' : segment === actual[i]))
  );
}

/** Of the operations whose template matches the path, those of the most specific template(s). */
export function mostSpecific<T extends { readonly path: string }>(operations: readonly T[], path: string): T[] {
  const matching = operations.filter((o) => pathMatches(o.path, path));
  const best = Math.max(...matching.map((o) => literals(o.path)));
  return matching.filter((o) => literals(o.path) === best);
}

/** The Camunda operation a method and path (below /v2) address, if any. */
export function findCamundaOperation(method: string, path: string): CamundaOperation | undefined {
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return mostSpecific(CAMUNDA_OPERATIONS, path).find((o) => o.method === wanted);
}
