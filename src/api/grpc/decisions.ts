import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { decodeOptionalKey, decodeString, decodeTenant, decodeVariables, invalid } from './decode.js';
import { int64, tenant } from './encode.js';
import type { RpcContext } from './types.js';
import { unary } from './unary.js';
import type { EvaluateDecisionRequest, EvaluateDecisionResponse } from './wire.js';

export function decisionHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    EvaluateDecision: unary<EvaluateDecisionRequest, EvaluateDecisionResponse>(ctx, 'EvaluateDecision', async (req) => {
      const decisionKey = req.decisionKey === undefined ? null : decodeOptionalKey(req.decisionKey, 'decisionKey');
      const decisionId = decodeString(req.decisionId);
      if (decisionKey === null && decisionId === '') {
        throw invalid('Expected either a decision id or a valid decision key, but none provided');
      }
      const { key, evaluation: e } = await ctx.api.evaluateDecision({
        decisionKey,
        decisionId: decisionKey === null ? decisionId : null,
        variables: decodeVariables(req.variables),
        tenantId: decodeTenant(req.tenantId, 'EvaluateDecision', ctx.multiTenancy),
      });
      return {
        decisionKey: int64(e.decisionKey),
        decisionId: e.decisionId,
        decisionName: e.decisionName,
        decisionVersion: e.decisionVersion,
        decisionRequirementsId: e.decisionRequirementsId,
        decisionRequirementsKey: int64(e.decisionRequirementsKey),
        decisionOutput: e.decisionOutput,
        evaluatedDecisions: e.evaluatedDecisions.map((d) => ({ ...d, decisionKey: int64(d.decisionKey), tenantId: tenant(d.tenantId) })),
        failedDecisionId: e.failedDecisionId,
        failureMessage: e.evaluationFailureMessage,
        tenantId: tenant(e.tenantId),
        decisionInstanceKey: int64(key),
      };
    }),
  };
}
