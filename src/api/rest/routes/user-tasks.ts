import type { UpdateUserTaskRequest, UserTaskChanges, UserTaskFilter } from '../../../node/api.js';
import { parseIsoDateTime } from '../../../feel/iso8601.js';
import { decodeInteger, decodeKey, decodeString, decodeStringList, decodeTenant, decodeVariables, invalid, rejectUnsupported } from '../decode.js';
import { encodeForm, encodeUserTask } from '../encode.js';
import { camundaDocs, type PathParam, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';
import { ZenError } from '../../../errors.js';

type Body = Record<string, unknown>;

const TAG = 'User task';
const userTaskKeyParam = (description: string): PathParam[] => [{ name: 'userTaskKey', description }];
const userTaskKey = (params: unknown) => decodeKey((params as Record<string, unknown>).userTaskKey, 'userTaskKey');
const DEFAULT_PAGE_LIMIT = 100;

export const userTaskRoutes: RouteGroup = {
  name: 'user-tasks',
  routes: [
    {
      method: 'POST',
      path: '/user-tasks/search',
      operationId: 'searchUserTasks',
      summary: 'Search user tasks',
      description:
        'Searches the active Camunda user tasks of every partition with equality filters, oldest first. ' +
        'Completed and canceled tasks are not kept, so they are not found.',
      tag: TAG,
      camundaDocs: camundaDocs('search-user-tasks'),
      body: { contentType: 'application/json', schemaName: 'UserTaskSearchQueryRequest', schema: REQUEST_SCHEMAS.UserTaskSearchQueryRequest, required: false },
      success: { status: 200, description: 'The matching user tasks.', schemaName: 'UserTaskSearchQueryResult' },
      errors: [400, 501, 503],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        rejectUnsupported(body.sort, 'sort', 'Search user tasks');
        const page = (body.page ?? {}) as Body;
        rejectUnsupported(page.after, 'page.after', 'Search user tasks');
        rejectUnsupported(page.before, 'page.before', 'Search user tasks');
        const from = decodeInteger(page.from, 'page.from', 0);
        const limit = decodeInteger(page.limit, 'page.limit', DEFAULT_PAGE_LIMIT);
        const tasks = await ctx.api.searchUserTasks(decodeFilter((body.filter ?? {}) as Body));
        return { items: tasks.slice(from, from + limit).map(encodeUserTask), page: { totalItems: tasks.length, hasMoreTotalItems: false } };
      },
    },
    {
      method: 'GET',
      path: '/user-tasks/{userTaskKey}',
      operationId: 'getUserTask',
      summary: 'Get user task',
      description:
        'Returns an active Camunda user task, read from a replica of its partition. Completed and canceled tasks are not kept, so they are not found.',
      tag: TAG,
      camundaDocs: camundaDocs('get-user-task'),
      pathParams: userTaskKeyParam('The key of the user task.'),
      success: { status: 200, description: 'The user task.', schemaName: 'UserTaskResult' },
      errors: [400, 404, 503],
      handler: async (ctx, request, reply) => {
        const answer = await ctx.api.getUserTask(userTaskKey(request.params));
        void reply.header('Zen-Served-By', `${answer.servedBy.nodeId}/${answer.servedBy.role}`);
        return encodeUserTask(answer.value);
      },
    },
    {
      method: 'GET',
      path: '/user-tasks/{userTaskKey}/form',
      operationId: 'getUserTaskForm',
      summary: 'Get user task form',
      description: 'Returns the deployed form linked to an active user task; 204 when the task has none (or an external reference).',
      tag: TAG,
      camundaDocs: camundaDocs('get-user-task-form'),
      pathParams: userTaskKeyParam('The key of the user task.'),
      success: { status: 200, description: 'The form.', schemaName: 'FormResult' },
      errors: [400, 404, 503],
      handler: async (ctx, request, reply) => {
        const answer = await ctx.api.getUserTaskForm(userTaskKey(request.params));
        void reply.header('Zen-Served-By', `${answer.servedBy.nodeId}/${answer.servedBy.role}`);
        if (answer.value === null) return reply.code(204).send();
        return encodeForm(answer.value);
      },
    },
    {
      method: 'POST',
      path: '/user-tasks/{userTaskKey}/assignment',
      operationId: 'assignUserTask',
      summary: 'Assign user task',
      description:
        'Assigns a user task. With allowOverride false it is refused (409) when someone else has it. Answers once ' +
        'the assigning task listeners are done; 409 when one denies it.',
      tag: TAG,
      camundaDocs: camundaDocs('assign-user-task'),
      pathParams: userTaskKeyParam('The key of the user task to assign.'),
      body: { contentType: 'application/json', schemaName: 'UserTaskAssignmentRequest', schema: REQUEST_SCHEMAS.UserTaskAssignmentRequest, required: true },
      success: { status: 204, description: 'The user task is assigned.' },
      errors: [400, 404, 409, 503, 504],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        const assignee = decodeString(body.assignee, 'assignee');
        if (assignee.trim() === '') throw invalid("Property 'assignee' is invalid: expected a non-empty assignee; unassign with DELETE /v2/user-tasks/{userTaskKey}/assignee");
        await ctx.api.assignUserTask({
          userTaskKey: userTaskKey(request.params),
          assignee,
          allowOverride: body.allowOverride !== false,
          action: decodeString(body.action, 'action'),
          requestTimeoutMs: ctx.timeouts.requestMs,
        });
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: '/user-tasks/{userTaskKey}/assignee',
      operationId: 'unassignUserTask',
      summary: 'Unassign user task',
      description: 'Removes the assignee of a user task (an assignment to nobody, action unassign).',
      tag: TAG,
      camundaDocs: camundaDocs('unassign-user-task'),
      pathParams: userTaskKeyParam('The key of the user task.'),
      success: { status: 204, description: 'The user task is unassigned.' },
      errors: [400, 404, 409, 503, 504],
      handler: async (ctx, request) => {
        await ctx.api.assignUserTask({ userTaskKey: userTaskKey(request.params), assignee: '', allowOverride: true, action: '', requestTimeoutMs: ctx.timeouts.requestMs });
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/user-tasks/{userTaskKey}/completion',
      operationId: 'completeUserTask',
      summary: 'Complete user task',
      description:
        'Completes a user task with variables, which completes its element. Answers once the completing task ' +
        'listeners are done; 409 when one denies it.',
      tag: TAG,
      camundaDocs: camundaDocs('complete-user-task'),
      pathParams: userTaskKeyParam('The key of the user task to complete.'),
      body: { contentType: 'application/json', schemaName: 'UserTaskCompletionRequest', schema: REQUEST_SCHEMAS.UserTaskCompletionRequest, required: false },
      success: { status: 204, description: 'The user task is completed.' },
      errors: [400, 404, 409, 503, 504],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        await ctx.api.completeUserTask({
          userTaskKey: userTaskKey(request.params),
          variables: decodeVariables(body.variables),
          action: decodeString(body.action, 'action'),
          requestTimeoutMs: ctx.timeouts.requestMs,
        });
        return undefined;
      },
    },
    {
      method: 'PATCH',
      path: '/user-tasks/{userTaskKey}',
      operationId: 'updateUserTask',
      summary: 'Update user task',
      description:
        'Changes candidate groups and users, due and follow-up dates and priority of a user task. Answers once the ' +
        'updating task listeners are done; 409 when one denies it.',
      tag: TAG,
      camundaDocs: camundaDocs('update-user-task'),
      pathParams: userTaskKeyParam('The key of the user task to update.'),
      body: { contentType: 'application/json', schemaName: 'UserTaskUpdateRequest', schema: REQUEST_SCHEMAS.UserTaskUpdateRequest, required: false },
      success: { status: 204, description: 'The user task is updated.' },
      errors: [400, 404, 409, 503, 504],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        const { assignee: _assignee, ...changes } = decodeChanges((body.changeset ?? {}) as Body, 'changeset');
        const update: UpdateUserTaskRequest = {
          userTaskKey: userTaskKey(request.params),
          changes,
          action: decodeString(body.action, 'action'),
          requestTimeoutMs: ctx.timeouts.requestMs,
        };
        await ctx.api.updateUserTask(update);
        return undefined;
      },
    },
  ],
};

/**
 * A changeset or a task listener's corrections: absent and null keep the value; an empty string
 * clears a date, an empty list the candidates. Other attributes are ignored, as in Camunda.
 */
export function decodeChanges(body: Body, field: string): UserTaskChanges {
  const given = (name: string) => body[name] !== undefined && body[name] !== null;
  const date = (name: string): string | undefined => {
    if (!given(name)) return undefined;
    const value = decodeString(body[name], `${field}.${name}`);
    if (value !== '' && parseIsoDateTime(value) === null) {
      throw invalid(`Property '${field}.${name}' is invalid: expected an ISO 8601 date-time or an empty string, but it was '${value}'`);
    }
    return value;
  };
  const changes: { -readonly [K in keyof UserTaskChanges]: UserTaskChanges[K] } = {};
  if (given('assignee')) changes.assignee = decodeString(body.assignee, `${field}.assignee`);
  const dueDate = date('dueDate');
  if (dueDate !== undefined) changes.dueDate = dueDate;
  const followUpDate = date('followUpDate');
  if (followUpDate !== undefined) changes.followUpDate = followUpDate;
  if (given('candidateGroups')) changes.candidateGroups = decodeStringList(body.candidateGroups, `${field}.candidateGroups`);
  if (given('candidateUsers')) changes.candidateUsers = decodeStringList(body.candidateUsers, `${field}.candidateUsers`);
  if (given('priority')) {
    const priority = decodeInteger(body.priority, `${field}.priority`, 50);
    if (priority < 0 || priority > 100) throw invalid(`Property '${field}.priority' is invalid: expected a priority from 0 to 100, but it was ${priority}`);
    changes.priority = priority;
  }
  return changes;
}

const STRING_FILTERS: Readonly<Record<string, keyof UserTaskFilter>> = {
  state: 'state',
  assignee: 'assignee',
  candidateGroup: 'candidateGroup',
  candidateUser: 'candidateUser',
  elementId: 'elementId',
  processDefinitionId: 'bpmnProcessId',
};
const KEY_FILTERS: Readonly<Record<string, keyof UserTaskFilter>> = {
  userTaskKey: 'userTaskKey',
  elementInstanceKey: 'elementInstanceKey',
  processInstanceKey: 'processInstanceKey',
  processDefinitionKey: 'processDefinitionKey',
};

/** Plain equality values only; Camunda's advanced filter objects ($eq, $in, …) and other fields are refused. */
function decodeFilter(body: Body): UserTaskFilter {
  const filter: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (name === 'tenantId') {
      decodeTenant(value, 'Search user tasks');
      continue;
    }
    const target = STRING_FILTERS[name] ?? KEY_FILTERS[name];
    if (target === undefined) throw new ZenError('UNIMPLEMENTED', `Search user tasks with filter '${name}' is not supported by Zen yet`);
    if (typeof value === 'object') {
      throw new ZenError('UNIMPLEMENTED', `Search user tasks with an advanced filter on '${name}' is not supported by Zen yet; give a plain value`);
    }
    filter[target] = KEY_FILTERS[name] !== undefined ? decodeKey(value, `filter.${name}`) : decodeString(value, `filter.${name}`);
  }
  return filter as UserTaskFilter;
}
