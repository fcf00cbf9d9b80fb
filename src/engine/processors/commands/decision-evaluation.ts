/**
 * DECISION_EVALUATION EVALUATE (gRPC EvaluateDecision, POST /v2/decision-definitions/evaluation):
 * a deployed decision evaluated outside any process. The evaluation — successful or failed — is a
 * DECISION_EVALUATION record like a business rule task's; the answer is that record's value.
 * An unknown decision is a NOT_FOUND rejection.
 */
import { evaluateDeployedDecision } from '../../behaviors/decisions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { Variables } from '../../records.js';
import { tenantOf } from '../../tenants.js';

export interface DecisionEvaluationCommand {
  /** -1 when the decision is named by id (its latest version). */
  decisionKey: bigint;
  decisionId: string;
  variables: Variables;
  tenantId: string;
}

export function decisionEvaluationEvaluate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as DecisionEvaluationCommand;
  const decisions = ctx.state.decisions;
  const tenantId = tenantOf(value.tenantId);
  const found = value.decisionKey > 0n ? decisions.get(value.decisionKey) : decisions.latest(value.decisionId, tenantId);
  // Another tenant's decision is not found, as in Zeebe.
  const decision = found && tenantOf(found.value.tenantId) === tenantId ? found : undefined;
  if (!decision) {
    ctx.reject(
      'NOT_FOUND',
      value.decisionKey > 0n
        ? `Expected to evaluate decision with key '${value.decisionKey}', but no such decision was found`
        : `Expected to evaluate decision '${value.decisionId}', but no decision found for id '${value.decisionId}'`,
    );
    return;
  }
  const outcome = evaluateDeployedDecision(ctx, decision, value.variables ?? {});
  ctx.respond(outcome.key, outcome.value);
}
