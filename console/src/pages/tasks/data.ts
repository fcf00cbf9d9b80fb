/** The /v2 calls and shapes of the Tasks pages (Camunda 8.8's field names). */
import { api, get, post, seg } from '../../lib/api';

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
export const TASK_LIMIT = 1000;

export const getMe = (signal?: AbortSignal) => get<Me>('/authentication/me', signal);

async function searchOpen(filter: Record<string, unknown>, signal?: AbortSignal): Promise<UserTask[]> {
  const body = { filter: { state: 'CREATED', ...filter }, sort: [{ field: 'creationDate', order: 'DESC' }], page: { limit: TASK_LIMIT } };
  return (await post<{ items: UserTask[] }>('/user-tasks/search', body, signal)).items;
}

/**
 * The open tasks the user works on: assigned to them, or offered to them or one of their groups.
 * The filter ANDs its fields, so each way in is its own search, merged (newest first).
 */
export async function searchMyTasks(me: Me, signal?: AbortSignal): Promise<UserTask[]> {
  const username = me.username!;
  const searches = [searchOpen({ assignee: username }, signal), searchOpen({ candidateUser: username }, signal)];
  for (const group of me.groups) searches.push(searchOpen({ candidateGroup: group }, signal));
  const byKey = new Map<string, UserTask>();
  for (const list of await Promise.all(searches)) for (const task of list) byKey.set(task.userTaskKey, task);
  return sortNewestFirst([...byKey.values()]);
}

export const searchAllTasks = (signal?: AbortSignal) => searchOpen({}, signal);

export function sortNewestFirst(tasks: UserTask[]): UserTask[] {
  return tasks.sort((a, b) => b.creationDate.localeCompare(a.creationDate) || b.userTaskKey.localeCompare(a.userTaskKey));
}

export async function searchJobTasks(signal?: AbortSignal): Promise<JobTask[]> {
  const body = { filter: { type: USER_TASK_JOB_TYPE, state: 'CREATED' }, sort: [{ field: 'creationTime', order: 'DESC' }], page: { limit: TASK_LIMIT } };
  return (await post<{ items: JobTask[] }>('/jobs/search', body, signal)).items;
}

export const getTask = (key: string, signal?: AbortSignal) => get<UserTask>(`/user-tasks/${seg(key)}`, signal);

/** The task's linked form; null when it has none (204). */
export async function getTaskForm(key: string, signal?: AbortSignal): Promise<TaskForm | null> {
  return (await get<TaskForm | undefined>(`/user-tasks/${seg(key)}/form`, signal)) ?? null;
}

/** The variables the task sees, by name, with their values parsed (the API gives JSON text). */
export async function getTaskVariables(key: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const body = { page: { limit: TASK_LIMIT } };
  const result = await post<{ items: { name: string; value: string; scopeKey: string; isTruncated?: boolean }[] }>(`/user-tasks/${seg(key)}/variables/search`, body, signal);
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
