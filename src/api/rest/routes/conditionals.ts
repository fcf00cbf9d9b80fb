import { decodeKey, decodeTenant, decodeVariables } from '../decode.js';
import { key, tenant } from '../encode.js';
import type { RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';

/** Camunda 8.9 added this operation; its page is in the 8.9 docs. */
const CAMUNDA_89_DOCS = 'https://docs.camunda.io/docs/8.9/apis-tools/orchestration-cluster-api-rest/specifications/evaluate-conditionals/';

export const conditionalRoutes: RouteGroup = {
  name: 'conditionals',
  routes: [
    {
      method: 'POST',
      path: '/conditionals/evaluation',
      operationId: 'evaluateConditionals',
      summary: 'Evaluate root level conditional start events',
      description:
        'Evaluates the process-level conditional start events of the latest version of every process ' +
        '(or of the given process definition) against the variables; each that is true starts an ' +
        'instance with them. Answers with the instances started (none when no condition is true). ' +
        'Beyond Camunda 8.8: Camunda 8.9 shape.',
      tag: 'Conditional',
      camundaDocs: CAMUNDA_89_DOCS,
      body: {
        contentType: 'application/json',
        schemaName: 'ConditionalEvaluationInstruction',
        schema: REQUEST_SCHEMAS.ConditionalEvaluationInstruction,
        required: true,
      },
      success: { status: 200, description: 'The conditional start events were evaluated.', schemaName: 'EvaluateConditionalResult' },
      errors: [400, 404, 503],
      handler: async (ctx, request) => {
        const body = request.body as Record<string, unknown>;
        const result = await ctx.api.evaluateConditionals({
          variables: decodeVariables(body.variables),
          processDefinitionKey: body.processDefinitionKey === undefined ? null : decodeKey(body.processDefinitionKey, 'processDefinitionKey'),
          tenantId: decodeTenant(body.tenantId, 'Evaluate root level conditional start events', ctx.multiTenancy),
        });
        return {
          conditionalEvaluationKey: key(result.key),
          tenantId: tenant(result.tenantId),
          processInstances: result.processInstances.map((instance) => ({
            processDefinitionKey: key(instance.processDefinitionKey),
            processInstanceKey: key(instance.processInstanceKey),
          })),
        };
      },
    },
  ],
};
