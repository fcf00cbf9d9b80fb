/** The /v2 calls and shapes of the Processes pages (Camunda 8.8's field names). */
import { get, post, seg } from '../../lib/api';

export interface ProcessDefinition {
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly name?: string;
  readonly version: number;
  readonly versionTag?: string;
  readonly resourceName: string;
  readonly tenantId: string;
}

export interface ElementStatistics {
  readonly elementId: string;
  readonly active: number;
  readonly incidents: number;
  readonly completed: number;
  readonly canceled: number;
}

/** One process (id and tenant) with its versions, newest first. */
export interface ProcessGroup {
  readonly processDefinitionId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly versions: readonly ProcessDefinition[];
}

/** The most definitions the list asks for at once (the API's page limit). */
export const DEFINITION_PAGE_LIMIT = 10_000;

export async function searchDefinitions(filter: Record<string, unknown>, signal?: AbortSignal): Promise<ProcessDefinition[]> {
  const body = {
    filter,
    sort: [
      { field: 'processDefinitionId', order: 'ASC' },
      { field: 'version', order: 'DESC' },
    ],
    page: { limit: DEFINITION_PAGE_LIMIT },
  };
  const result = await post<{ items: ProcessDefinition[] }>('/process-definitions/search', body, signal);
  return result.items;
}

export function groupByProcess(definitions: readonly ProcessDefinition[]): ProcessGroup[] {
  const groups = new Map<string, ProcessDefinition[]>();
  for (const definition of definitions) {
    const id = `${definition.tenantId}\u0000${definition.processDefinitionId}`;
    const list = groups.get(id) ?? [];
    list.push(definition);
    groups.set(id, list);
  }
  return [...groups.values()].map((versions) => {
    const sorted = [...versions].sort((a, b) => b.version - a.version);
    const latest = sorted[0]!;
    return { processDefinitionId: latest.processDefinitionId, tenantId: latest.tenantId, name: latest.name || latest.processDefinitionId, versions: sorted };
  });
}

export const getDefinition = (key: string, signal?: AbortSignal) => get<ProcessDefinition>(`/process-definitions/${seg(key)}`, signal);

export const getDefinitionXml = (key: string, signal?: AbortSignal) => get<string>(`/process-definitions/${seg(key)}/xml`, signal);

export async function getElementStatistics(key: string, signal?: AbortSignal): Promise<ElementStatistics[]> {
  const result = await post<{ items: ElementStatistics[] }>(`/process-definitions/${seg(key)}/statistics/element-instances`, {}, signal);
  return result.items;
}
