/**
 * MESSAGE_CORRELATION CORRELATE (POST /v2/messages/correlation): a message published with no
 * TTL that must reach an instance now, or fail. It is offered like a published message (open
 * subscriptions first, then message start events) and never buffered. An instance started here
 * answers at once; a waiting instance answers once its partition confirms the message
 * (MESSAGE_SUBSCRIPTION CORRELATE, `message-subscription.ts`).
 */
import { answerCorrelated, notCorrelatedReason } from '../../behaviors/message-correlations.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { MessageCorrelationValue, MessageValue } from '../../records.js';
import { correlateMessage, startByMessage } from './message.js';
import { tenantOf } from '../../tenants.js';

export function messageCorrelationCorrelate(ctx: ProcessingContext, command: EngineCommand): void {
  const { name, correlationKey, variables } = command.value as MessageCorrelationValue;
  const tenantId = tenantOf((command.value as MessageCorrelationValue).tenantId);
  const messageKey = ctx.nextKey();
  const message: MessageValue = { name, correlationKey, timeToLive: 0, messageId: '', variables, deadline: ctx.now, tenantId };
  ctx.event('MESSAGE', 'PUBLISHED', messageKey, message);
  const request: MessageCorrelationValue = {
    name,
    correlationKey,
    variables,
    tenantId,
    messageKey,
    requestId: command.requestId ?? '',
    processInstanceKey: -1n,
  };
  ctx.event('MESSAGE_CORRELATION', 'CORRELATING', messageKey, request);
  const row = ctx.state.messages.get(messageKey)!;
  const reached = correlateMessage(ctx, row);
  const started = startByMessage(ctx, row, reached);
  // As in Zeebe, an instance started here is the answer even when waiting instances take the
  // message too: it is known now, theirs only once their partitions confirm.
  if (started.length > 0) answerCorrelated(ctx, request, started[0]!);
  const nothing = started.length === 0 && reached.size === 0;
  if (nothing) ctx.event('MESSAGE_CORRELATION', 'NOT_CORRELATED', messageKey, request);
  ctx.event('MESSAGE', 'EXPIRED', messageKey, message);
  // The command itself is refused, after the message's own records, as Zeebe's processor does.
  if (nothing) ctx.reject('NOT_FOUND', notCorrelatedReason(name, correlationKey));
}
