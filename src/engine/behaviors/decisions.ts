/**
 * Evaluating deployed decisions inside the engine (business rule tasks, EvaluateDecision).
 * Pure: inputs are the given variables, `now` the command's clock. Every evaluation writes a
 * DECISION_EVALUATION record (EVALUATED or FAILED), the replicated audit trail Zeebe keeps too.
 */
import { evaluateDecision, type DecisionResult } from '../../dmn/index.js';
import { toJs } from '../../feel/lang/values/convert.js';
import { stringifyJson } from '../json.js';
import type { Value } from '../../feel/lang/values/value.js';
import type { CalledDecisionDefinition } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import type { DecisionEvaluationValue, EvaluatedDecisionValue, Variables } from '../records.js';
import type { DecisionRow } from '../state/decisions.js';
import { tenantOf } from '../tenants.js';

export type DecisionLookup = { readonly ok: true; readonly decision: DecisionRow } | { readonly ok: false; readonly message: string };

/** The decision a business rule task calls, by its binding type, among its instance's tenant's. */
export function findCalledDecision(
  ctx: ProcessingContext,
  called: CalledDecisionDefinition,
  decisionId: string,
  caller: { readonly processDefinitionKey: bigint; readonly tenantId: string },
): DecisionLookup {
  const decisions = ctx.state.decisions;
  const { processDefinitionKey } = caller;
  const tenantId = tenantOf(caller.tenantId);
  switch (called.bindingType) {
    case 'latest': {
      const decision = decisions.latest(decisionId, tenantId);
      return decision ? { ok: true, decision } : { ok: false, message: `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'` };
    }
    case 'deployment': {
      const deploymentKey = ctx.state.processes.get(processDefinitionKey)?.value.deploymentKey ?? -1n;
      const decision = decisions.inDeployment(deploymentKey, decisionId);
      return decision
        ? { ok: true, decision }
        : {
            ok: false,
            message: `Expected to evaluate decision with id '${decisionId}' with binding type 'deployment', but no such decision found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended decision to evaluate.`,
          };
    }
    case 'versionTag': {
      const decision = decisions.withVersionTag(decisionId, tenantId, called.versionTag!);
      return decision
        ? { ok: true, decision }
        : { ok: false, message: `Expected to evaluate decision with id '${decisionId}' and version tag '${called.versionTag}', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.` };
    }
  }
}

/** Warnings the DMN engine reports that Camunda treats as a failed evaluation, not a null result. */
const FAILING_WARNINGS = new Set(['HIT_POLICY_VIOLATION', 'EVALUATION_FAILURE', 'INVALID_HIT_POLICY', 'INVALID_AGGREGATION']);

export interface DecisionOrigin {
  readonly bpmnProcessId: string;
  readonly processDefinitionKey: bigint;
  readonly processInstanceKey: bigint;
  readonly elementId: string;
  readonly elementInstanceKey: bigint;
}

const NO_ORIGIN: DecisionOrigin = { bpmnProcessId: '', processDefinitionKey: -1n, processInstanceKey: -1n, elementId: '', elementInstanceKey: -1n };

export type DecisionOutcome =
  | { readonly ok: true; readonly output: unknown; readonly key: bigint; readonly value: DecisionEvaluationValue }
  | { readonly ok: false; readonly message: string; readonly key: bigint; readonly value: DecisionEvaluationValue };

function json(value: Value): string {
  return stringifyJson(toJs(value));
}

function failureOf(decision: DecisionRow, result: DecisionResult): string | null {
  const reasons = [...(result.failure ? [result.failure] : []), ...result.warnings.filter((w) => FAILING_WARNINGS.has(w.type)).map((w) => w.message)];
  if (reasons.length === 0) return null;
  return `Expected to evaluate decision '${decision.value.decisionId}', but ${reasons.join('; ')}`;
}

/** Evaluates a deployed decision and writes its DECISION_EVALUATION record (keyed by a new key). */
export function evaluateDeployedDecision(ctx: ProcessingContext, decision: DecisionRow, variables: Variables, origin: DecisionOrigin = NO_ORIGIN): DecisionOutcome {
  const drg = ctx.state.decisions.requirementsOf(decision.value.decisionRequirementsKey)!;
  const model = ctx.models.decisionModel(drg.key, drg.value.resource);
  const result = evaluateDecision(model, decision.value.decisionId, variables, { nowMs: ctx.now });
  const versionOf = (decisionId: string) => {
    const row = ctx.state.decisions.latestOfRequirements(decisionId, tenantOf(drg.value.tenantId), drg.key);
    return { decisionKey: row?.key ?? -1n, decisionVersion: row?.value.version ?? -1 };
  };
  const evaluatedDecisions: EvaluatedDecisionValue[] = result.evaluatedDecisions.map((d) => ({
    decisionId: d.decisionId,
    decisionName: d.decisionName,
    ...versionOf(d.decisionId),
    decisionType: d.decisionType,
    decisionOutput: json(d.value),
    evaluatedInputs: d.inputs.map((i) => ({ inputId: i.inputId, inputName: i.inputName, inputValue: json(i.value) })),
    matchedRules: d.matchedRules.map((r) => ({
      ruleId: r.ruleId,
      ruleIndex: r.ruleIndex,
      evaluatedOutputs: r.outputs.map((o) => ({ outputId: o.outputId, outputName: o.outputName, outputValue: json(o.value) })),
    })),
    tenantId: decision.value.tenantId,
  }));
  const failure = failureOf(decision, result);
  const value: DecisionEvaluationValue = {
    decisionKey: decision.key,
    decisionId: decision.value.decisionId,
    decisionName: decision.value.decisionName,
    decisionVersion: decision.value.version,
    decisionRequirementsId: decision.value.decisionRequirementsId,
    decisionRequirementsKey: decision.value.decisionRequirementsKey,
    decisionOutput: failure === null ? json(result.value) : 'null',
    variables,
    ...origin,
    evaluatedDecisions,
    evaluationFailureMessage: failure ?? '',
    failedDecisionId: failure === null ? '' : decision.value.decisionId,
    tenantId: decision.value.tenantId,
  };
  const key = ctx.nextKey();
  if (failure !== null) {
    ctx.event('DECISION_EVALUATION', 'FAILED', key, value);
    return { ok: false, message: failure, key, value };
  }
  ctx.event('DECISION_EVALUATION', 'EVALUATED', key, value);
  return { ok: true, output: toJs(result.value), key, value };
}
