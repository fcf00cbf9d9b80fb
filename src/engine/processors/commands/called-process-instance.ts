/**
 * Commands between a call activity's partition and its child's (docs/adr/008). Each one may
 * arrive more than once and in any order (it is re-sent until the other side confirms it), so
 * each is idempotent: what is done already is only confirmed again.
 */
import { answerThrow, calledRootValue, cancelChild, sendThrow } from '../../behaviors/called-processes.js';
import { findCatch, isCatch, uncaughtErrorMessage } from '../../behaviors/catching.js';
import { canBeTriggered, triggerEvent } from '../../behaviors/event-triggers.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { completeLater, terminate } from '../../behaviors/transitions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { CalledProcessInstanceValue, CalledProcessThrowValue, CommandIntent, EscalationValue } from '../../records.js';
import { partitionOfKey } from '../../state/engine-state.js';

function reply(ctx: ProcessingContext, partitionId: number, intent: CommandIntent<'CALLED_PROCESS_INSTANCE'>, value: CalledProcessInstanceValue): void {
  ctx.send({ partitionId, valueType: 'CALLED_PROCESS_INSTANCE', intent, key: value.parentElementInstanceKey, value });
}

const callerPartition = (value: CalledProcessInstanceValue) => partitionOfKey(value.parentElementInstanceKey);

/** Child side: start the child of a call activity, once. */
export function calledProcessInstanceCreate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessInstanceValue;
  const callKey = value.parentElementInstanceKey;
  const { calledInstances } = ctx.state;
  // Cancelled before this CREATE arrived, or a late re-send after the child ended: nothing starts.
  if (calledInstances.wasReleased(callKey)) return ctx.discard();
  const running = calledInstances.children.get(callKey);
  if (running) {
    ctx.discard();
    reply(ctx, callerPartition(value), 'CONFIRM_CREATE', running.value);
    return;
  }
  const process = ctx.state.processes.get(value.processDefinitionKey);
  // The deployment has not been distributed here yet: the caller re-sends until it has.
  if (!process || !ctx.models.has(value.processDefinitionKey)) return ctx.discard();
  const childKey = ctx.nextKey();
  const accepted: CalledProcessInstanceValue = { ...value, processInstanceKey: childKey, variables: {} };
  ctx.event('CALLED_PROCESS_INSTANCE', 'ACCEPTED', callKey, accepted);
  ctx.enqueue({ kind: 'ACTIVATE', key: childKey, value: calledRootValue(process.value, childKey, value.parentProcessInstanceKey, callKey), rootVariables: value.variables });
  reply(ctx, callerPartition(value), 'CONFIRM_CREATE', accepted);
}

/** Caller side: the child exists. A caller that is gone by now cancels it. */
export function calledProcessInstanceConfirmCreate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessInstanceValue;
  const row = ctx.state.calledInstances.calls.get(value.parentElementInstanceKey);
  if (!row) {
    cancelChild(ctx, value);
    return;
  }
  if (row.state !== 'CREATING') return ctx.discard();
  ctx.event('CALLED_PROCESS_INSTANCE', 'CREATED', value.parentElementInstanceKey, { ...row.value, processInstanceKey: value.processInstanceKey, variables: {} });
}

/** Caller side: the child completed; the call activity takes its variables and completes, once. */
export function calledProcessInstanceComplete(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessInstanceValue;
  const callKey = value.parentElementInstanceKey;
  const row = ctx.state.calledInstances.calls.get(callKey);
  const caller = ctx.state.elementInstances.get(callKey);
  // Taken before (the confirmation got lost), or the call activity is being cancelled: confirm only.
  if (!row || row.state === 'CANCELING' || !canBeTriggered(caller)) {
    ctx.discard();
    reply(ctx, value.childPartitionId, 'CONFIRM_COMPLETE', { ...value, variables: {} });
    return;
  }
  ctx.event('CALLED_PROCESS_INSTANCE', 'COMPLETED', callKey, { ...row.value, processInstanceKey: value.processInstanceKey, variables: {} });
  const v = caller.value;
  ctx.event('PROCESS_EVENT', 'TRIGGERED', callKey, { scopeKey: callKey, targetElementId: v.elementId, variables: value.variables, processDefinitionKey: v.processDefinitionKey, processInstanceKey: v.processInstanceKey, tenantId: v.tenantId });
  ctx.enqueue({ kind: 'COMPLETE', key: callKey });
  reply(ctx, value.childPartitionId, 'CONFIRM_COMPLETE', { ...value, variables: {} });
}

/** Child side: the caller took the child's completion; the child side is done with it. */
export function calledProcessInstanceConfirmComplete(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessInstanceValue;
  const row = ctx.state.calledInstances.children.get(value.parentElementInstanceKey);
  if (row?.state !== 'RETURNING') return ctx.discard();
  ctx.event('CALLED_PROCESS_INSTANCE', 'RELEASED', value.parentElementInstanceKey, row.value);
}

/**
 * Child side: the call activity ended; the child is cancelled. One not created yet never will
 * be (the release is remembered); one that completed meanwhile is let go.
 */
export function calledProcessInstanceCancel(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessInstanceValue;
  const callKey = value.parentElementInstanceKey;
  const { calledInstances } = ctx.state;
  if (calledInstances.wasReleased(callKey)) {
    ctx.discard();
    reply(ctx, callerPartition(value), 'CONFIRM_CANCEL', value);
    return;
  }
  const row = calledInstances.children.get(callKey);
  if (row?.state === 'RUNNING') terminate(ctx, row.value.processInstanceKey);
  ctx.event('CALLED_PROCESS_INSTANCE', 'RELEASED', callKey, row?.value ?? value);
  reply(ctx, callerPartition(value), 'CONFIRM_CANCEL', value);
}

/** Caller side: the child is cancelled (or never will be). */
export function calledProcessInstanceConfirmCancel(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessInstanceValue;
  const row = ctx.state.calledInstances.calls.get(value.parentElementInstanceKey);
  if (row?.state !== 'CANCELING') return ctx.discard();
  ctx.event('CALLED_PROCESS_INSTANCE', 'CANCELED', value.parentElementInstanceKey, row.value);
}

/**
 * A call activity's partition: an error or escalation came up from its child. Caught here, the
 * catch fires (an interrupting one ends the call activity, which cancels the child and with it
 * the thrower); not caught up to a called process whose caller is elsewhere, it goes on there;
 * caught by nobody, the thrower hears so and decides (an incident, or it goes on).
 */
export function calledProcessInstanceThrow(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessThrowValue;
  const { calledInstances } = ctx.state;
  if (calledInstances.caught.has(value.throwKey.toString())) {
    // Caught before without interrupting; the answer got lost.
    ctx.discard();
    answerThrow(ctx, value, 'NON_INTERRUPTING');
    return;
  }
  const callActivity = ctx.state.elementInstances.get(value.callActivityInstanceKey);
  const row = calledInstances.calls.get(value.callActivityInstanceKey);
  const child = row?.value.processInstanceKey ?? -1n;
  // The call activity ended or moved on: its child (the thrower's ancestor) is being cancelled.
  if (!canBeTriggered(callActivity) || !row || row.state === 'CANCELING' || (child > 0n && child !== value.calledProcessInstanceKey)) return ctx.discard();
  const found = findCatch(ctx, callActivity, value.kind === 'ERROR' ? 'error' : 'escalation', value.code);
  if (isCatch(found)) {
    // Errors always interrupt; an escalation as its catch says.
    const interrupting = value.kind === 'ERROR' || found.boundary.cancelActivity;
    ctx.event('CALLED_PROCESS_INSTANCE', 'CAUGHT', value.throwKey, { ...value, caught: interrupting ? 'INTERRUPTING' : 'NON_INTERRUPTING' });
    if (value.kind === 'ESCALATION') {
      const escalation: EscalationValue = { processInstanceKey: value.throwProcessInstanceKey, escalationCode: value.code, throwElementId: value.throwElementId, catchElementId: found.boundary.id };
      ctx.event('ESCALATION', 'ESCALATED', ctx.nextKey(), escalation);
    }
    triggerEvent(ctx, found.activity, found.boundary, value.kind === 'ERROR' ? value.variables : {});
    if (!interrupting) answerThrow(ctx, value, 'NON_INTERRUPTING');
    return;
  }
  if (found) {
    sendThrow(ctx, { ...value, callActivityInstanceKey: found.callActivityKey, calledProcessInstanceKey: found.calledInstanceKey });
    return;
  }
  answerThrow(ctx, value, 'NONE');
}

/** The thrower's partition: the verdict on a throw that left the child. */
export function calledProcessInstanceAnswerThrow(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as CalledProcessThrowValue;
  const pending = ctx.state.calledInstances.throws.get(value.throwElementInstanceKey);
  const thrower = ctx.state.elementInstances.get(value.throwElementInstanceKey);
  if (!pending || pending.throwKey !== value.throwKey || !thrower) return ctx.discard();
  ctx.event('CALLED_PROCESS_INSTANCE', 'THROW_ANSWERED', value.throwKey, value);
  if (value.kind === 'ERROR') {
    raiseIncident(ctx, thrower, 'UNHANDLED_ERROR_EVENT', uncaughtErrorMessage(value.code, value.message), value.jobKey);
    return;
  }
  if (value.caught === 'NONE') {
    const escalation: EscalationValue = { processInstanceKey: value.throwProcessInstanceKey, escalationCode: value.code, throwElementId: value.throwElementId, catchElementId: '' };
    ctx.event('ESCALATION', 'NOT_ESCALATED', ctx.nextKey(), escalation);
  }
  completeLater(ctx, thrower);
}
