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
/** Evaluations per page on a decision's page. */
export const EVALUATION_PAGE = 50;

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

export interface EvaluationPage {
  readonly items: readonly DecisionInstance[];
  readonly totalItems: number;
  /** Pass as `after` for the next (older) page; absent on an empty page. */
  readonly endCursor?: string;
}

/** One page of a decision's evaluations, newest first; `after` is the cursor of the page before. */
export async function searchEvaluations(decisionDefinitionKey: string, after: string | undefined, signal?: AbortSignal): Promise<EvaluationPage> {
  const body = {
    filter: { decisionDefinitionKey },
    sort: [{ field: 'evaluationDate', order: 'DESC' }],
    page: { limit: EVALUATION_PAGE, ...(after === undefined ? {} : { after }) },
  };
  const answer = await post<{ items: DecisionInstance[]; page: { totalItems: number; endCursor?: string } }>('/decision-instances/search', body, signal);
  return { items: answer.items, totalItems: answer.page.totalItems, ...(answer.page.endCursor === undefined ? {} : { endCursor: answer.page.endCursor }) };
}

/** The decision of this id in the same DRD (deployed together, so of the same DMN resource). */
export async function findDecisionInRequirements(decisionRequirementsKey: string, decisionDefinitionId: string, signal?: AbortSignal): Promise<DecisionDefinition | undefined> {
  const body = { filter: { decisionRequirementsKey, decisionDefinitionId }, page: { limit: 1 } };
  return (await post<{ items: DecisionDefinition[] }>('/decision-definitions/search', body, signal)).items[0];
}

export const getEvaluation = (id: string, signal?: AbortSignal) => get<DecisionInstanceDetails>(`/decision-instances/${seg(id)}`, signal);
