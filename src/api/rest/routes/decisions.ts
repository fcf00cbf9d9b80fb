import type { EvaluateDecisionResult } from '../../../node/api.js';
import { decodeKey, decodeTenant, decodeVariables, invalid } from '../decode.js';
import { key, tenant } from '../encode.js';
import type { RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';

export const decisionRoutes: RouteGroup = {
  name: 'decision-definitions',
  routes: [
    {
      method: 'POST',
      path: '/decision-definitions/evaluation',
      operationId: 'evaluateDecision',
      summary: 'Evaluate decision',
      description:
        'Evaluates a deployed decision, by key or by id (its latest version), with the given variables. ' +
        'The evaluation is logged as a DECISION_EVALUATION record; a failed evaluation is answered with ' +
        'failedDecisionDefinitionId and failureMessage.',
      tag: 'Decision definition',
      camundaDocs: 'https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/evaluate-decision/',
      body: {
        contentType: 'application/json',
        schemaName: 'DecisionEvaluationInstruction',
        schema: REQUEST_SCHEMAS.DecisionEvaluationInstruction,
        required: true,
      },
      success: { status: 200, description: 'The decision was evaluated.', schemaName: 'EvaluateDecisionResult' },
      errors: [400, 404, 503],
      handler: async (ctx, request) => {
        const body = request.body as Record<string, unknown>;
        const byKey = body.decisionDefinitionKey !== undefined;
        const byId = body.decisionDefinitionId !== undefined;
        if (byKey === byId) throw invalid('Expected either a decisionDefinitionKey or a decisionDefinitionId, but ' + (byKey ? 'both were given' : 'none was given'));
        if (byId && (typeof body.decisionDefinitionId !== 'string' || body.decisionDefinitionId.trim() === '')) throw invalid('Expected decisionDefinitionId to be a non-empty string');
        const result = await ctx.api.evaluateDecision({
          decisionKey: byKey ? decodeKey(body.decisionDefinitionKey, 'decisionDefinitionKey') : null,
          decisionId: byId ? (body.decisionDefinitionId as string) : null,
          variables: decodeVariables(body.variables),
          tenantId: decodeTenant(body.tenantId, 'Evaluate decision', ctx.multiTenancy),
        });
        return encodeEvaluation(result);
      },
    },
  ],
};

export function encodeEvaluation({ key: evaluationKey, evaluation: e }: EvaluateDecisionResult) {
  return {
    decisionDefinitionId: e.decisionId,
    decisionDefinitionName: e.decisionName,
    decisionDefinitionVersion: e.decisionVersion,
    decisionRequirementsId: e.decisionRequirementsId,
    output: e.decisionOutput,
    failedDecisionDefinitionId: e.failedDecisionId,
    failureMessage: e.evaluationFailureMessage,
    tenantId: tenant(e.tenantId),
    decisionDefinitionKey: key(e.decisionKey),
    decisionRequirementsKey: key(e.decisionRequirementsKey),
    decisionInstanceKey: key(evaluationKey),
    decisionEvaluationKey: key(evaluationKey),
    evaluatedDecisions: e.evaluatedDecisions.map((d) => ({
      decisionDefinitionId: d.decisionId,
      decisionDefinitionName: d.decisionName,
      decisionDefinitionVersion: d.decisionVersion,
      decisionDefinitionType: d.decisionType,
      output: d.decisionOutput,
      tenantId: tenant(d.tenantId),
      matchedRules: d.matchedRules.map((r) => ({ ruleId: r.ruleId, ruleIndex: r.ruleIndex, evaluatedOutputs: r.evaluatedOutputs })),
      evaluatedInputs: d.evaluatedInputs,
      decisionDefinitionKey: key(d.decisionKey),
    })),
  };
}
