/**
 * The message partition's side of a subscription. Every command here may arrive more than
 * once (the sender re-sends until it hears back), so each one is idempotent.
 */
import { partitionOfKey } from '../../state/engine-state.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { MessageSubscriptionValue } from '../../records.js';
import { correlateMessage, startCorrelation } from './message.js';

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
  if (ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName)) {
    ctx.discard();
    replyToInstance(ctx, 'CREATE', value);
    return;
  }
  ctx.event('MESSAGE_SUBSCRIPTION', 'CREATED', value.elementInstanceKey, value);
  replyToInstance(ctx, 'CREATE', value);
  // A buffered message may be waiting for exactly this subscription: the oldest one wins.
  const subscription = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName)!;
  for (const messageKey of ctx.state.messages.find(value.messageName, value.correlationKey)) {
    const message = ctx.state.messages.get(messageKey)!;
    if (message.value.deadline <= ctx.now && message.value.timeToLive > 0) continue;
    if (ctx.state.messages.isCorrelatedTo(messageKey, value.bpmnProcessId)) continue;
    startCorrelation(ctx, subscription, message);
    break;
  }
}

/** The instance accepted the message. */
export function messageSubscriptionCorrelate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName);
  if (!row || !row.correlating || row.value.messageKey !== value.messageKey) return ctx.discard();
  ctx.event('MESSAGE_SUBSCRIPTION', 'CORRELATED', value.elementInstanceKey, row.value);
}

/** The instance could not take the message (it moved on); offer the message to others. */
export function messageSubscriptionReject(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName);
  if (!row || !row.correlating || row.value.messageKey !== value.messageKey) return ctx.discard();
  ctx.event('MESSAGE_SUBSCRIPTION', 'REJECTED', value.elementInstanceKey, row.value);
  const message = ctx.state.messages.get(value.messageKey);
  if (message) correlateMessage(ctx, message);
}

export function messageSubscriptionDelete(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.messageSubscriptions.get(value.elementInstanceKey, value.messageName);
  if (row) ctx.event('MESSAGE_SUBSCRIPTION', 'DELETED', value.elementInstanceKey, row.value);
  else ctx.discard();
  replyToInstance(ctx, 'DELETE', value);
}
