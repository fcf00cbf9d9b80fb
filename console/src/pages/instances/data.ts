/** The /v2 calls and shapes of the Instances pages (Camunda 8.8's field names). */
import { api, get, post, seg } from '../../lib/api';
import { searchPages, type Paged } from '../../lib/paged-search';
import type { ModificationInstruction } from './modification';

export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ProcessInstance {
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly processDefinitionName?: string;
  readonly processDefinitionVersion: number;
  readonly state: InstanceState;
  readonly startDate: string;
  readonly endDate?: string;
  readonly hasIncident: boolean;
  readonly tenantId: string;
  readonly parentProcessInstanceKey?: string;
  readonly parentElementInstanceKey?: string;
}

export interface SearchPage {
  readonly totalItems: number;
  readonly startCursor?: string;
  readonly endCursor?: string;
}

export interface InstancePage {
  readonly items: readonly ProcessInstance[];
  readonly page: SearchPage;
}

/** Where a page of the list starts: the first page, after the last item seen, or before the first. */
export type PageAt = { readonly after?: string; readonly before?: string };

export const LIST_PAGE_SIZE = 50;

export function searchInstances(filter: Record<string, unknown>, at: PageAt, signal?: AbortSignal): Promise<InstancePage> {
  const page: Record<string, unknown> = { limit: LIST_PAGE_SIZE };
  if (at.after) page.after = at.after;
  if (at.before) page.before = at.before;
  return post<InstancePage>('/process-instances/search', { filter, sort: [{ field: 'startDate', order: 'DESC' }], page }, signal);
}

/**
 * One instance as the search has it: Zen's GET of a running instance reads the engine's state,
 * which has no start date or process name; the search (the history, as fresh as the log) has both.
 * When the search finds nothing, the GET answers with its 404 problem, which the page shows.
 */
export async function getInstance(key: string, signal?: AbortSignal): Promise<ProcessInstance> {
  const result = await post<{ items: ProcessInstance[] }>('/process-instances/search', { filter: { processInstanceKey: key }, page: { limit: 1 } }, signal);
  return result.items[0] ?? get<ProcessInstance>(`/process-instances/${seg(key)}`, signal);
}

export interface ElementInstance {
  readonly elementInstanceKey: string;
  readonly elementId: string;
  readonly type: string;
  readonly state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  readonly startDate: string;
  readonly endDate?: string;
  readonly hasIncident: boolean;
  readonly incidentKey?: string;
}

/** Rows of one instance read per page (element instances, variables); `?rows=N` in the address changes it. */
export const INSTANCE_PAGE_SIZE = 1000;

/** The instance's element instances in the order they started, the first `want` of them. */
export const searchElementInstances = (processInstanceKey: string, want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<ElementInstance>> =>
  searchPages('/element-instances/search', { filter: { processInstanceKey }, sort: [{ field: 'startDate', order: 'ASC' }] }, want, pageSize, signal);

/** How many running element instances the Modify panel and the variable scopes offer. */
export const RUNNING_LIMIT = 1000;

/** What runs now (not the process itself): to terminate, to add variables to, to migrate. */
export async function searchRunningElements(processInstanceKey: string, signal?: AbortSignal): Promise<Paged<ElementInstance>> {
  const running = await searchPages<ElementInstance>(
    '/element-instances/search',
    { filter: { processInstanceKey, state: 'ACTIVE' }, sort: [{ field: 'startDate', order: 'ASC' }] },
    RUNNING_LIMIT,
    RUNNING_LIMIT,
    signal,
  );
  return { ...running, items: running.items.filter((e) => e.type !== 'PROCESS') };
}

export interface Variable {
  readonly variableKey: string;
  readonly name: string;
  /** JSON text. */
  readonly value: string;
  readonly scopeKey: string;
}

export const searchVariables = (processInstanceKey: string, want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<Variable>> =>
  searchPages('/variables/search', { filter: { processInstanceKey }, sort: [{ field: 'name', order: 'ASC' }] }, want, pageSize, signal);

/** Sets one variable in its own scope (`local`: not propagated up to an outer scope holding the same name). */
export const setVariable = (scopeKey: string, name: string, value: unknown) =>
  api<void>('PUT', `/element-instances/${seg(scopeKey)}/variables`, { body: { variables: { [name]: value }, local: true } });

export interface Incident {
  readonly incidentKey: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly creationTime: string;
  readonly state: string;
  readonly jobKey?: string;
}

export async function searchActiveIncidents(processInstanceKey: string, signal?: AbortSignal): Promise<Incident[]> {
  const body = { filter: { processInstanceKey, state: 'ACTIVE' }, sort: [{ field: 'creationTime', order: 'ASC' }], page: { limit: 100 } };
  return (await post<{ items: Incident[] }>('/incidents/search', body, signal)).items;
}

/** Operate's Retry: a job that ran out of retries gets one more, then the incident is resolved. */
export async function retryIncident(incident: Incident): Promise<void> {
  if (incident.jobKey) await api<void>('PATCH', `/jobs/${seg(incident.jobKey)}`, { body: { changeset: { retries: 1 } } });
  await post<void>(`/incidents/${seg(incident.incidentKey)}/resolution`, {});
}

export interface InstanceElementStatistics {
  readonly elementId: string;
  readonly active: number;
  readonly incidents: number;
  readonly completed: number;
  readonly canceled: number;
}

export async function getInstanceStatistics(key: string, signal?: AbortSignal): Promise<InstanceElementStatistics[]> {
  return (await get<{ items: InstanceElementStatistics[] }>(`/process-instances/${seg(key)}/statistics/element-instances`, signal)).items;
}

/** The ids of the sequence flows the instance took. */
export async function getTakenFlows(key: string, signal?: AbortSignal): Promise<string[]> {
  const result = await get<{ items: { elementId: string }[] }>(`/process-instances/${seg(key)}/sequence-flows`, signal);
  return result.items.map((flow) => flow.elementId).sort();
}

export interface CallHierarchyEntry {
  readonly processInstanceKey: string;
  readonly processDefinitionName: string;
}

export const getCallHierarchy = (key: string, signal?: AbortSignal) => get<CallHierarchyEntry[]>(`/process-instances/${seg(key)}/call-hierarchy`, signal);

/** The instances this one started through call activities. */
export async function searchChildren(key: string, signal?: AbortSignal): Promise<ProcessInstance[]> {
  const body = { filter: { parentProcessInstanceKey: key }, sort: [{ field: 'startDate', order: 'ASC' }], page: { limit: 100 } };
  return (await post<{ items: ProcessInstance[] }>('/process-instances/search', body, signal)).items;
}

export const cancelInstance = (key: string) => post<void>(`/process-instances/${seg(key)}/cancellation`, {});

export const modifyInstance = (key: string, instruction: ModificationInstruction) => post<void>(`/process-instances/${seg(key)}/modification`, instruction);

export const migrateInstance = (key: string, targetProcessDefinitionKey: string, mappings: readonly { sourceElementId: string; targetElementId: string }[]) =>
  post<void>(`/process-instances/${seg(key)}/migration`, { targetProcessDefinitionKey, mappingInstructions: mappings });
