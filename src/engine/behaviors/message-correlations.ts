/**
 * Answering a correlation request (POST /v2/messages/correlation) once it is known which
 * instance took the message, or that none did. The request waits on the message's partition;
 * the answer may come from a later command there (the instance's partition confirming).
 */
import type { ProcessingContext } from '../processing/context.js';
import type { CommandResponse } from '../processing/types.js';
import type { MessageCorrelationValue } from '../records.js';

export function notCorrelatedReason(name: string, correlationKey: string): string {
  return `Expected to find subscription for message with name '${name}' and correlation key '${correlationKey}', but none was found.`;
}

/** The message reached `processInstanceKey` first: CORRELATED, and the client gets that instance. */
export function answerCorrelated(ctx: ProcessingContext, request: MessageCorrelationValue, processInstanceKey: bigint): void {
  const value: MessageCorrelationValue = { ...request, processInstanceKey };
  ctx.event('MESSAGE_CORRELATION', 'CORRELATED', request.messageKey, value);
  reply(ctx, request.requestId, {
    ok: true,
    key: request.messageKey,
    value: { messageKey: request.messageKey, tenantId: request.tenantId, processInstanceKey },
  });
}

/** No instance took the message (the one it was on its way to had moved on): NOT_CORRELATED, and NOT_FOUND for the client. */
export function answerNotCorrelated(ctx: ProcessingContext, request: MessageCorrelationValue): void {
  ctx.event('MESSAGE_CORRELATION', 'NOT_CORRELATED', request.messageKey, request);
  reply(ctx, request.requestId, { ok: false, rejectionType: 'NOT_FOUND', reason: notCorrelatedReason(request.name, request.correlationKey) });
}

function reply(ctx: ProcessingContext, requestId: string, response: CommandResponse): void {
  if (requestId === '') return;
  // The client may have given up, or the request was made before a restart: the partition
  // drops answers nobody waits for.
  ctx.deferred.push({ requestId, response });
  if (ctx.command.requestId === requestId) ctx.response = response;
}
