/**
 * The process instance partition's side of a subscription: confirmations from the message
 * partition and delivered messages. Idempotent, like its counterpart.
 */
import { triggerEvent } from '../../behaviors/event-triggers.js';
import { subscriptionPartition } from '../../behaviors/subscription-partition.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { MessageSubscriptionValue, ProcessMessageSubscriptionValue } from '../../records.js';

export function processMessageSubscriptionCreate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.processMessageSubscriptions.get(value.elementInstanceKey, value.messageName);
  if (!row) {
    // Gone here, yet the message partition (re)created it: a CREATE that arrived after its DELETE,
    // or a re-sent one after the subscription ended. Delete it there, re-sending until confirmed.
    const closing: ProcessMessageSubscriptionValue = {
      ...value,
      elementId: '',
      subscriptionPartitionId: subscriptionPartition(value.correlationKey, ctx.config.partitionCount),
    };
    ctx.event('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETING', value.elementInstanceKey, closing);
    ctx.send({ partitionId: closing.subscriptionPartitionId, valueType: 'MESSAGE_SUBSCRIPTION', intent: 'DELETE', key: value.elementInstanceKey, value });
    return;
  }
  if (row.state !== 'CREATING') return ctx.discard();
  ctx.event('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED', value.elementInstanceKey, row.value);
}

export function processMessageSubscriptionDelete(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const row = ctx.state.processMessageSubscriptions.get(value.elementInstanceKey, value.messageName);
  if (!row || row.state !== 'DELETING') return ctx.discard();
  ctx.event('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETED', value.elementInstanceKey, row.value);
}

export function processMessageSubscriptionCorrelate(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as MessageSubscriptionValue;
  const answer = (intent: 'CORRELATE' | 'REJECT', partitionId: number) =>
    ctx.send({ partitionId, valueType: 'MESSAGE_SUBSCRIPTION', intent, key: value.elementInstanceKey, value });
  const row = ctx.state.processMessageSubscriptions.get(value.elementInstanceKey, value.messageName);
  const instance = ctx.state.elementInstances.get(value.elementInstanceKey);
  if (row && row.state !== 'DELETING' && row.value.messageKey === value.messageKey) {
    // Delivered before; the acknowledgement got lost. Acknowledge again, trigger nothing.
    ctx.discard();
    answer('CORRELATE', row.value.subscriptionPartitionId);
    return;
  }
  if (!row || row.state === 'DELETING' || !instance || instance.state !== 'ACTIVATED') {
    ctx.reject(
      'INVALID_STATE',
      `Expected to correlate message '${value.messageName}' to element instance ${value.elementInstanceKey}, but it no longer waits for it`,
    );
    answer('REJECT', subscriptionPartition(value.correlationKey, ctx.config.partitionCount));
    return;
  }
  const correlated: ProcessMessageSubscriptionValue = { ...row.value, messageKey: value.messageKey, variables: value.variables };
  ctx.event('PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED', value.elementInstanceKey, correlated);
  answer('CORRELATE', row.value.subscriptionPartitionId);
  const event = ctx.models.get(instance.value.processDefinitionKey).elements.get(row.value.elementId)!;
  triggerEvent(ctx, instance, event, value.variables);
}
