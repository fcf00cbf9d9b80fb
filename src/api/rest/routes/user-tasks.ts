import type { UpdateUserTaskRequest, UserTaskChanges } from '../../../node/api.js';
import { parseIsoDateTime } from '../../../feel/iso8601.js';
import { decodeInteger, decodeKey, decodeString, decodeStringList, decodeVariables, invalid } from '../decode.js';
import { SEARCH_QUERY_REQUEST } from '../history-schemas.js';
import { decodeSearch, getByKey, search } from './history.js';
import { encodeForm, encodeUserTask } from '../encode.js';
import { camundaDocs, type PathParam, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';
import { ZenError } from '../../../errors.js';

type Body = Record<string, unknown>;

const TAG = 'User task';
const userTaskKeyParam = (description: string): PathParam[] => [{ name: 'userTaskKey', description }];
const userTaskKey = (params: unknown) => decodeKey((params as Record<string, unknown>).userTaskKey, 'userTaskKey');

export const userTaskRoutes: RouteGroup = {
  name: 'user-tasks',
  routes: [
    {
      method: 'POST',
      path: '/user-tasks/search',
      operationId: 'searchUserTasks',
      summary: 'Search user tasks',
      description:
        'Searches the Camunda user tasks of every partition, active, completed and canceled (kept for the history ' +
        'retention), served by a follower of each partition where one is in sync. Filters take a value or operators ' +
        '(candidateGroup and candidateUser match one of the task\'s candidates); sort by any field (the key breaks ties); ' +
        'page by offset or with cursors. processInstanceVariables and localVariables take {name, value} pairs that the ' +
        "variables of the task's process instance (its root scope) or of the task's own element instance must all match; " +
        'value is the JSON text of the value or a string filter on it.',
      tag: TAG,
      camundaDocs: camundaDocs('search-user-tasks'),
      body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
      success: { status: 200, description: 'The matching user tasks.', schemaName: 'UserTaskSearchQueryResult' },
      errors: [400, 503],
      handler: (ctx, request, reply) => search(ctx, reply, 'userTasks', decodeSearch(request)),
    },
    {
      method: 'GET',
      path: '/user-tasks/{userTaskKey}',
      operationId: 'getUserTask',
      summary: 'Get user task',
      description:
        'Returns a Camunda user task: an active one read from a replica of its partition, a completed or canceled one from the history.',
      tag: TAG,
      camundaDocs: camundaDocs('get-user-task'),
      pathParams: userTaskKeyParam('The key of the user task.'),
      success: { status: 200, description: 'The user task.', schemaName: 'UserTaskResult' },
      errors: [400, 404, 503],
      handler: async (ctx, request, reply) => {
        const key = userTaskKey(request.params);
        let answer;
        try {
          answer = await ctx.api.getUserTask(key);
        } catch (err) {
          if (!(err instanceof ZenError) || err.code !== 'NOT_FOUND') throw err;
          // Not active: a completed or canceled task is in the history.
          return getByKey(ctx, reply, 'userTasks', 'userTaskKey', key, 'user task');
        }
        void reply.header('Zen-Served-By', `${answer.servedBy.nodeId}/${answer.servedBy.role}`);
        return encodeUserTask(answer.value);
      },
    },
    {
      method: 'POST',
      path: '/user-tasks/{userTaskKey}/variables/search',
      operationId: 'searchUserTaskVariables',
      summary: 'Search user task variables',
      description:
        "Searches the variables a user task sees: those of its element instance and of the scopes around it up to the " +
        'process instance, from the history (so a finished task\'s too). The filter narrows them (e.g. by name).',
      tag: TAG,
      camundaDocs: camundaDocs('search-user-task-variables'),
      pathParams: userTaskKeyParam('The key of the user task.'),
      body: { contentType: 'application/json', schemaName: 'SearchQueryRequest', schema: SEARCH_QUERY_REQUEST, required: false },
      success: { status: 200, description: 'The variables.', schemaName: 'VariableSearchQueryResult' },
      errors: [400, 503],
      handler: (ctx, request, reply) => {
        const key = userTaskKey(request.params);
        const query = decodeSearch(request);
        return search(ctx, reply, 'userTaskVariables', { ...query, filter: { ...((query.filter ?? {}) as Body), userTaskKey: String(key) } });
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
