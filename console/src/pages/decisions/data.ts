/** The /v2 calls and shapes of the Decisions pages (Camunda 8.8's field names). */
import { get, post, seg } from '../../lib/api';

export interface DecisionDefinition {
  readonly decisionDefinitionKey: string;
  readonly decisionDefinitionId: string;
  readonly name?: string;
  readonly version: number;
  readonly decisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  readonly tenantId: string;
}

export interface DecisionInstance {
  readonly decisionEvaluationInstanceKey: string;
  readonly state: 'EVALUATED' | 'FAILED' | string;
  readonly evaluationDate: string;
  readonly evaluationFailure?: string;
  readonly decisionDefinitionId: string;
  readonly decisionDefinitionName?: string;
  readonly decisionDefinitionVersion: number;
  readonly decisionDefinitionType: string;
  /** The decision's output as JSON text. */
  readonly result?: string;
  readonly decisionDefinitionKey: string;
  readonly processInstanceKey?: string;
}

export interface EvaluatedInput {
  readonly inputId: string;
  readonly inputName: string;
  readonly inputValue: string;
}

export interface MatchedRule {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly evaluatedOutputs: readonly { readonly outputId: string; readonly outputName: string; readonly outputValue: string }[];
}

export interface DecisionInstanceDetails extends DecisionInstance {
  readonly evaluatedInputs: readonly EvaluatedInput[];
  readonly matchedRules: readonly MatchedRule[];
}

/** One decision (id and tenant) with its versions, newest first. */
export interface DecisionGroup {
  readonly decisionDefinitionId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly versions: readonly DecisionDefinition[];
}

export const PAGE_LIMIT = 10_000;
/** Evaluations listed on a decision's page: the newest ones. */
export const EVALUATION_LIMIT = 50;

export async function searchDecisions(filter: Record<string, unknown>, signal?: AbortSignal): Promise<DecisionDefinition[]> {
  const body = {
    filter,
    sort: [
      { field: 'decisionDefinitionId', order: 'ASC' },
      { field: 'version', order: 'DESC' },
    ],
    page: { limit: PAGE_LIMIT },
  };
  return (await post<{ items: DecisionDefinition[] }>('/decision-definitions/search', body, signal)).items;
}

export function groupByDecision(definitions: readonly DecisionDefinition[]): DecisionGroup[] {
  const groups = new Map<string, DecisionDefinition[]>();
  for (const definition of definitions) {
    const id = `${definition.tenantId}\u0000${definition.decisionDefinitionId}`;
    groups.set(id, [...(groups.get(id) ?? []), definition]);
  }
  return [...groups.values()].map((versions) => {
    const sorted = [...versions].sort((a, b) => b.version - a.version);
    const latest = sorted[0]!;
    return { decisionDefinitionId: latest.decisionDefinitionId, tenantId: latest.tenantId, name: latest.name || latest.decisionDefinitionId, versions: sorted };
  });
}

export const getDecision = (key: string, signal?: AbortSignal) => get<DecisionDefinition>(`/decision-definitions/${seg(key)}`, signal);

export const getDecisionXml = (key: string, signal?: AbortSignal) => get<string>(`/decision-definitions/${seg(key)}/xml`, signal);

export async function searchEvaluations(decisionDefinitionKey: string, signal?: AbortSignal): Promise<DecisionInstance[]> {
  const body = {
    filter: { decisionDefinitionKey },
    sort: [{ field: 'evaluationDate', order: 'DESC' }],
    page: { limit: EVALUATION_LIMIT },
  };
  return (await post<{ items: DecisionInstance[] }>('/decision-instances/search', body, signal)).items;
}

export const getEvaluation = (id: string, signal?: AbortSignal) => get<DecisionInstanceDetails>(`/decision-instances/${seg(id)}`, signal);
