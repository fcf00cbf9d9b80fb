import type { Expression } from '../../../feel/expression.js';
import type { CamundaUserTaskDefinition } from '../../../model/types.js';
import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { type Evaluated, evalInteger, evalOptionalDateTime, evalString, evalStringList } from '../../behaviors/expressions.js';
import { findLinkedForm } from '../../behaviors/forms.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { toActivated, toCompleted } from '../../behaviors/transitions.js';
import { assignInitially, cancelUserTask, createUserTask, type UserTaskProperties } from '../../behaviors/user-tasks.js';
import { visibleVariables } from '../../behaviors/variables.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { IncidentErrorType, Variables } from '../../records.js';
import type { ElementInstance } from '../../state/types.js';
import { elementProcessor } from './element-processor.js';

const DEFAULT_PRIORITY = 50;

type PropertiesResult = { ok: true; value: UserTaskProperties } | { ok: false; errorType: IncidentErrorType; message: string };

/**
 * Camunda user tasks (`zeebe:userTask`): the engine creates the task and waits for it to be
 * completed (USER_TASK COMPLETE); terminating the element cancels the task.
 */
export const userTaskProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    let vars: Variables | null = null;
    const context = () => (vars ??= visibleVariables(ctx, instance.key));
    const properties = evaluateProperties(ctx, instance, element.userTask!, context);
    if (!properties.ok) {
      raiseIncident(ctx, instance, properties.errorType, properties.message);
      return;
    }
    if (!subscribeToWaitingEvents(ctx, instance, element, model, context)) return;
    // As in Zeebe: the task exists (CREATING, and CREATED without creating listeners) before the
    // element is ACTIVATED, and the model's assignee is given after.
    const key = createUserTask(ctx, instance, element, properties.value);
    toActivated(ctx, instance);
    assignInitially(ctx, key, properties.value.assignee);
  },
  complete(ctx, instance, element, model) {
    closeSubscriptions(ctx, instance);
    if (!applyOutputMappings(ctx, instance, element)) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
  terminate(ctx, instance) {
    cancelUserTask(ctx, instance);
    closeSubscriptions(ctx, instance);
  },
});

function evaluateProperties(
  ctx: ProcessingContext,
  instance: ElementInstance,
  task: CamundaUserTaskDefinition,
  vars: () => Variables,
): PropertiesResult {
  const failed = (what: string, message: string): PropertiesResult => ({
    ok: false,
    errorType: 'EXTRACT_VALUE_ERROR',
    message: `Element '${instance.value.elementId}': failed to evaluate ${what}: ${message}`,
  });
  const run = <T>(expression: Expression | null, fallback: T, evaluate: (expr: Expression, vars: Variables, now: number) => Evaluated<T>) =>
    expression === null ? ({ ok: true, value: fallback } as Evaluated<T>) : evaluate(expression, expression.kind === 'feel' ? vars() : {}, ctx.now);

  const assignee = run(task.assignee, '', evalString);
  if (!assignee.ok) return failed('the assignee', assignee.message);
  const candidateGroups = run(task.candidateGroups, [] as string[], evalStringList);
  if (!candidateGroups.ok) return failed('the candidate groups', candidateGroups.message);
  const candidateUsers = run(task.candidateUsers, [] as string[], evalStringList);
  if (!candidateUsers.ok) return failed('the candidate users', candidateUsers.message);
  const dueDate = dateText(task.dueDate, vars, ctx.now);
  if (!dueDate.ok) return failed('the due date', dueDate.message);
  const followUpDate = dateText(task.followUpDate, vars, ctx.now);
  if (!followUpDate.ok) return failed('the follow-up date', followUpDate.message);
  const priority = run(task.priority, DEFAULT_PRIORITY, evalInteger);
  if (!priority.ok) return failed('the priority', priority.message);
  if (priority.value < 0 || priority.value > 100) {
    return { ok: false, errorType: 'EXTRACT_VALUE_ERROR', message: `Expected priority to be in the range [0,100] but was '${priority.value}'.` };
  }

  let formKey = -1n;
  let externalFormReference = '';
  const form = task.form;
  if (form?.kind === 'external') {
    const reference = run(form.reference, '', evalString);
    if (!reference.ok) return failed('the external form reference', reference.message);
    externalFormReference = reference.value;
  } else if (form?.kind === 'linked') {
    const formId = run(form.formId, '', evalString);
    if (!formId.ok) return failed('the form id', formId.message);
    const found = findLinkedForm(ctx, form, formId.value, instance.value);
    if (!found.ok) return { ok: false, errorType: 'FORM_NOT_FOUND', message: found.message };
    formKey = found.form.key;
  }

  return {
    ok: true,
    value: {
      assignee: assignee.value,
      candidateGroupsList: candidateGroups.value,
      candidateUsersList: candidateUsers.value,
      dueDate: dueDate.value,
      followUpDate: followUpDate.value,
      formKey,
      externalFormReference,
      priority: priority.value,
    },
  };
}

/** A date as the record carries it: a static value as written, FEEL as an ISO date-time; '' when none. */
function dateText(expression: Expression | null, vars: () => Variables, now: number): Evaluated<string> {
  if (expression === null) return { ok: true, value: '' };
  if (expression.kind === 'static') return { ok: true, value: expression.value.trim() };
  const result = evalOptionalDateTime(expression, vars(), now);
  if (!result.ok) return result;
  return { ok: true, value: result.value === null ? '' : new Date(result.value).toISOString() };
}
