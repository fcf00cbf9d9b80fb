/**
 * The message partition's side of a subscription. Every command here may arrive more than
 * once (the sender re-sends until it hears back), so each one is idempotent.
 */
import { partitionOfKey } from '../../state/engine-state.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import { answerCorrelated, answerNotCorrelated } from '../../behaviors/message-correlations.js';
import type { MessageCorrelationValue, MessageSubscriptionValue } from '../../records.js';
import type { MessageSubscriptionRow } from '../../state/types.js';
import { correlateMessage, startCorrelation } from './message.js';
import { tenantOf } from '../../tenants.js';

function replyToInstance(ctx: ProcessingContext, intent: string, value: MessageSubscriptionValue): void {
  ctx.send({
    partitionId: partitionOfKey(value.processInstanceKey),
    valueType: 'PROCESS_MESSAGE_SUBSCRIPTION',
    intent,
    key: value.elementInstanceKey,
    value,
  });
}

export function messageSubscriptionCreate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  if (ctx.state.messageSubscriptions.wasDeleted(value.elementInstanceKey, value.messageName)) {
    // A CREATE that arrived after the subscription's DELETE (or a late re-send): it stays deleted.
    ctx.discard();
    replyToInstance(ctx, 'DELETE', value);
    return;
  }
  if (ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName)) {
    ctx.discard();
    replyToInstance(ctx, 'CREATE', value);
    return;
  }
  ctx.event('MESSAGE_SUBSCRIPTION', 'CREATED', value.elementInstanceKey, value);
  replyToInstance(ctx, 'CREATE', value);
  correlateNextMessage(ctx, ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName)!);
}

/** A buffered message may be waiting for exactly this subscription: the oldest one wins. */
function correlateNextMessage(ctx: ProcessingContext, subscription: MessageSubscriptionRow): void {
  const { messageName, correlationKey, bpmnProcessId, tenantId } = subscription.value;
  for (const messageKey of ctx.state.messages.find(messageName, correlationKey, tenantOf(tenantId))) {
    const message = ctx.state.messages.get(messageKey)!;
    if (message.value.deadline <= ctx.now && message.value.timeToLive > 0) continue;
    if (ctx.state.messages.isCorrelatedTo(messageKey, bpmnProcessId)) continue;
    startCorrelation(ctx, subscription, message);
    break;
  }
}

/** The instance accepted the message. */
export function messageSubscriptionCorrelate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName);
  const request = ctx.state.messageCorrelations.get(value.messageKey);
  if (!row || !row.correlating || row.value.messageKey !== value.messageKey) {
    // The subscription was deleted before the acknowledgement came (the instance took the
    // message and moved on): a correlation request still gets its answer.
    if (request) answerCorrelated(ctx, request, value.processInstanceKey);
    else ctx.discard();
    return;
  }
  ctx.event('MESSAGE_SUBSCRIPTION', 'CORRELATED', value.elementInstanceKey, row.value);
  // A correlation request waits for the first instance that confirms its message.
  if (request) answerCorrelated(ctx, request, row.value.processInstanceKey);
  // Messages published while this one was on its way skipped the busy subscription; as Zeebe
  // does, the next buffered one is offered now.
  const open = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName);
  if (open) correlateNextMessage(ctx, open);
}

/** The instance could not take the message (it moved on); offer the message to others. */
export function messageSubscriptionReject(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName);
  const request = ctx.state.messageCorrelations.get(value.messageKey);
  const refused = () => request && !stillCorrelating(ctx, request);
  if (!row || !row.correlating || row.value.messageKey !== value.messageKey) {
    // Deleted while the message was on its way (the instance was canceled): nothing to undo
    // here, but a correlation request must not wait forever.
    if (refused()) answerNotCorrelated(ctx, request!);
    else ctx.discard();
    return;
  }
  ctx.event('MESSAGE_SUBSCRIPTION', 'REJECTED', value.elementInstanceKey, row.value);
  const message = ctx.state.messages.get(value.messageKey);
  if (message) correlateMessage(ctx, message);
  if (refused()) answerNotCorrelated(ctx, request!);
}

/**
 * Whether the requested message is still on its way to another instance. Zeebe answers
 * NOT_FOUND at the first refusal; waiting for the others avoids failing a request whose
 * message another instance is about to take.
 */
function stillCorrelating(ctx: ProcessingContext, request: MessageCorrelationValue): boolean {
  for (const subscription of ctx.state.messageSubscriptions.find(request.name, request.correlationKey, tenantOf(request.tenantId))) {
    if (subscription.correlating && subscription.value.messageKey === request.messageKey) return true;
  }
  return false;
}

export function messageSubscriptionDelete(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName);
  // Deleted even if its CREATE has not arrived yet: the tombstone makes that CREATE a no-op.
  if (row) ctx.event('MESSAGE_SUBSCRIPTION', 'DELETED', value.elementInstanceKey, row.value);
  else if (!ctx.state.messageSubscriptions.wasDeleted(value.elementInstanceKey, value.messageName)) ctx.event('MESSAGE_SUBSCRIPTION', 'DELETED', value.elementInstanceKey, value);
  else ctx.discard();
  replyToInstance(ctx, 'DELETE', value);
}
