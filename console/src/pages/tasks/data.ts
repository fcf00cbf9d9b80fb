/** The /v2 calls and shapes of the Tasks pages (Camunda 8.8's field names). */
import { api, get, post, seg } from '../../lib/api';
import { MAX_PAGE_SIZE } from '../../lib/page-size';
import { searchPages, type Paged } from '../../lib/paged-search';

export interface Me {
  /** null under `--auth none`: nobody is signed in. */
  readonly username: string | null;
  readonly displayName: string | null;
  readonly groups: readonly string[];
}

export interface UserTask {
  readonly userTaskKey: string;
  readonly name?: string;
  readonly state: 'CREATED' | 'COMPLETED' | 'CANCELED' | 'FAILED' | string;
  readonly assignee?: string;
  readonly candidateGroups: readonly string[];
  readonly candidateUsers: readonly string[];
  readonly dueDate?: string;
  readonly followUpDate?: string;
  readonly creationDate: string;
  readonly completionDate?: string;
  readonly priority: number;
  readonly formKey?: string;
  readonly externalFormReference?: string;
  readonly elementId: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly processName?: string;
  readonly tenantId: string;
}

/** A user task without zeebe:userTask: a job a worker (or Tasklist V1) serves; the console only shows it. */
export interface JobTask {
  readonly jobKey: string;
  readonly state: string;
  readonly elementId: string;
  readonly processInstanceKey: string;
  readonly processDefinitionId: string;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly creationTime?: string;
}

export interface TaskForm {
  readonly formKey: string;
  readonly formId: string;
  readonly version: number;
  readonly schema: unknown;
}

export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';
/** Tasks read per page; `?rows=N` in the address changes it. */
export const TASK_PAGE_SIZE = 100;

export const getMe = (signal?: AbortSignal) => get<Me>('/authentication/me', signal);

/** The newest `want` open tasks the filter finds. */
const searchOpen = (filter: Record<string, unknown>, want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<UserTask>> =>
  searchPages('/user-tasks/search', { filter: { state: 'CREATED', ...filter }, sort: [{ field: 'creationDate', order: 'DESC' }] }, want, pageSize, signal);

/**
 * The newest `want` open tasks the user works on: assigned to them, or offered to them or one of
 * their groups. The filter ANDs its fields, so each way in is its own search, merged (newest
 * first); the newest `want` of the union are among the newest `want` of each search. The union
 * has no total (a task can be found more than one way).
 */
export async function searchMyTasks(me: Me, want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<UserTask>> {
  const username = me.username!;
  const searches = [searchOpen({ assignee: username }, want, pageSize, signal), searchOpen({ candidateUser: username }, want, pageSize, signal)];
  for (const group of me.groups) searches.push(searchOpen({ candidateGroup: group }, want, pageSize, signal));
  const results = await Promise.all(searches);
  const byKey = new Map<string, UserTask>();
  for (const result of results) for (const task of result.items) byKey.set(task.userTaskKey, task);
  const merged = sortNewestFirst([...byKey.values()]);
  return { items: merged.slice(0, want), more: merged.length > want || results.some((r) => r.more) };
}

export const searchAllTasks = (want: number, pageSize: number, signal?: AbortSignal) => searchOpen({}, want, pageSize, signal);

export function sortNewestFirst(tasks: UserTask[]): UserTask[] {
  return tasks.sort((a, b) => b.creationDate.localeCompare(a.creationDate) || b.userTaskKey.localeCompare(a.userTaskKey));
}

export const searchJobTasks = (want: number, pageSize: number, signal?: AbortSignal): Promise<Paged<JobTask>> =>
  searchPages('/jobs/search', { filter: { type: USER_TASK_JOB_TYPE, state: 'CREATED' }, sort: [{ field: 'creationTime', order: 'DESC' }] }, want, pageSize, signal);

export const getTask = (key: string, signal?: AbortSignal) => get<UserTask>(`/user-tasks/${seg(key)}`, signal);

/** The task's linked form; null when it has none (204). */
export async function getTaskForm(key: string, signal?: AbortSignal): Promise<TaskForm | null> {
  return (await get<TaskForm | undefined>(`/user-tasks/${seg(key)}/form`, signal)) ?? null;
}

/** All the variables the task sees (every page: the form may need any), by name, with their values parsed (the API gives JSON text). */
export async function getTaskVariables(key: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const result = await searchPages<{ name: string; value: string; scopeKey: string; isTruncated?: boolean }>(`/user-tasks/${seg(key)}/variables/search`, {}, Infinity, MAX_PAGE_SIZE, signal);
  // Inner scopes are created after outer ones (larger keys): applied last, they shadow them.
  const items = [...result.items].sort((a, b) => (BigInt(a.scopeKey) < BigInt(b.scopeKey) ? -1 : BigInt(a.scopeKey) > BigInt(b.scopeKey) ? 1 : 0));
  const values: Record<string, unknown> = {};
  for (const item of items) {
    if (item.isTruncated) continue;
    try {
      values[item.name] = JSON.parse(item.value);
    } catch {
      values[item.name] = item.value;
    }
  }
  return values;
}

export const assignTask = (key: string, assignee: string) => post<void>(`/user-tasks/${seg(key)}/assignment`, { assignee, allowOverride: false });

export const unassignTask = (key: string) => api<void>('DELETE', `/user-tasks/${seg(key)}/assignee`);

export const completeTask = (key: string, variables: Record<string, unknown>) => post<void>(`/user-tasks/${seg(key)}/completion`, { variables });
