import { partitionOfKey } from '../../state/engine-state.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { MessageStartEventSubscriptionValue, MessageSubscriptionValue, MessageValue } from '../../records.js';
import { startProcessInstance } from '../../behaviors/process-instances.js';
import { namedStartEvents } from '../../models.js';
import type { MessageRow, MessageSubscriptionRow } from '../../state/types.js';
import { tenantOf } from '../../tenants.js';

/** Starts delivering a message to one subscription: CORRELATING here, CORRELATE to the instance's partition. */
export function startCorrelation(ctx: ProcessingContext, subscription: MessageSubscriptionRow, message: MessageRow): void {
  const value: MessageSubscriptionValue = {
    ...subscription.value,
    messageKey: message.key,
    variables: message.value.variables,
  };
  ctx.event('MESSAGE_SUBSCRIPTION', 'CORRELATING', subscription.value.elementInstanceKey, value);
  ctx.send({
    partitionId: partitionOfKey(value.processInstanceKey),
    valueType: 'PROCESS_MESSAGE_SUBSCRIPTION',
    intent: 'CORRELATE',
    key: value.elementInstanceKey,
    value,
  });
}

/**
 * Offers a message to its tenant's open subscriptions for its name and correlation key: at most
 * one subscription per process (bpmnProcessId), and never one of a process it already reached.
 */
export function correlateMessage(ctx: ProcessingContext, message: MessageRow): Set<string> {
  const reached = new Set<string>();
  const { name, correlationKey, tenantId } = message.value;
  for (const subscription of ctx.state.messageSubscriptions.find(name, correlationKey, tenantOf(tenantId))) {
    const processId = subscription.value.bpmnProcessId;
    if (subscription.correlating || reached.has(processId)) continue;
    if (ctx.state.messages.isCorrelatedTo(message.key, processId)) continue;
    reached.add(processId);
    startCorrelation(ctx, subscription, message);
  }
  return reached;
}

/**
 * A new message starts an instance of every process of its tenant (latest version) with a
 * message start event for its name — except processes it already reached, and, for a
 * correlation key, a process that still runs an instance started with that key. The instance
 * lives here, on the message's partition. Returns the instances started, in the order they were.
 */
export function startByMessage(ctx: ProcessingContext, message: MessageRow, reached: ReadonlySet<string>): bigint[] {
  const { name, correlationKey, variables } = message.value;
  const tenantId = tenantOf(message.value.tenantId);
  const started: bigint[] = [];
  for (const process of ctx.state.processes.latestVersions(tenantId)) {
    const processId = process.value.bpmnProcessId;
    if (reached.has(processId) || !ctx.models.has(process.key)) continue;
    const start = namedStartEvents(ctx.models.get(process.key), 'message').get(name);
    if (!start) continue;
    if (correlationKey !== '' && ctx.state.messageStartLocks.isLocked(processId, correlationKey, tenantId)) continue;
    const processInstanceKey = ctx.nextKey();
    const correlated: MessageStartEventSubscriptionValue = {
      processDefinitionKey: process.key,
      bpmnProcessId: processId,
      startEventId: start.id,
      messageName: name,
      messageKey: message.key,
      correlationKey,
      processInstanceKey,
      variables,
      tenantId,
    };
    ctx.event('MESSAGE_START_EVENT_SUBSCRIPTION', 'CORRELATED', process.key, correlated);
    startProcessInstance(ctx, process.value, variables, start.id, processInstanceKey);
    started.push(processInstanceKey);
  }
  return started;
}

export function messagePublish(ctx: ProcessingContext, command: EngineCommand): void {
  const request = command.value as MessageValue;
  if (request.messageId && ctx.state.messages.existsWithId(request.name, request.correlationKey, request.messageId, tenantOf(request.tenantId))) {
    ctx.reject(
      'ALREADY_EXISTS',
      `Expected to publish a new message with id '${request.messageId}', but a message with that id was already published`,
    );
    return;
  }
  const key = ctx.nextKey();
  const ttl = Math.max(0, request.timeToLive);
  const value: MessageValue = { ...request, timeToLive: ttl, deadline: ctx.now + ttl, tenantId: tenantOf(request.tenantId) };
  ctx.event('MESSAGE', 'PUBLISHED', key, value);
  const message = ctx.state.messages.get(key)!;
  startByMessage(ctx, message, correlateMessage(ctx, message));
  // Without a TTL the message only reaches subscriptions open right now.
  if (ttl === 0) ctx.event('MESSAGE', 'EXPIRED', key, value);
  ctx.respond(key, { key, tenantId: value.tenantId });
}

/** Driver command: the TTL passed. */
export function messageExpire(ctx: ProcessingContext, command: EngineCommand): void {
  const message = ctx.state.messages.get(command.key);
  if (!message || message.value.deadline > ctx.now) return ctx.discard();
  ctx.event('MESSAGE', 'EXPIRED', message.key, message.value);
}
