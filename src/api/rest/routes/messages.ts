import { decodeDuration, decodeRequiredString, decodeString, decodeTenant, decodeVariables } from '../decode.js';
import { key, tenant } from '../encode.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';

export const messageRoutes: RouteGroup = {
  name: 'messages',
  routes: [
    {
      method: 'POST',
      path: '/messages/publication',
      operationId: 'publishMessage',
      summary: 'Publish message',
      description:
        'Publishes a message to the partition its correlation key maps to. It correlates to waiting ' +
        'subscriptions and is buffered for timeToLive ms for subscriptions opened later.',
      tag: 'Message',
      camundaDocs: camundaDocs('publish-message'),
      body: {
        contentType: 'application/json',
        schemaName: 'MessagePublicationRequest',
        schema: REQUEST_SCHEMAS.MessagePublicationRequest,
        required: true,
      },
      success: { status: 200, description: 'The message was published.', schemaName: 'MessagePublicationResult' },
      errors: [400, 409, 503],
      handler: async (ctx, request) => {
        const body = request.body as Record<string, unknown>;
        const result = await ctx.api.publishMessage({
          name: decodeRequiredString(body.name, 'name'),
          // Empty is legal: message start events correlate without a key.
          correlationKey: decodeString(body.correlationKey, 'correlationKey'),
          timeToLiveMs: decodeDuration(body.timeToLive, 'timeToLive'),
          messageId: decodeString(body.messageId, 'messageId'),
          variables: decodeVariables(body.variables),
          tenantId: decodeTenant(body.tenantId, 'Publish message', ctx.multiTenancy),
        });
        return { tenantId: tenant(result.tenantId), messageKey: key(result.key) };
      },
    },
    {
      method: 'POST',
      path: '/messages/correlation',
      operationId: 'correlateMessage',
      summary: 'Correlate message',
      description:
        'Publishes a message that is never buffered: it correlates to the instances waiting for it and ' +
        'starts message start events, and answers with the first process instance it reached: an ' +
        'instance it started, else the first waiting instance to take it. 404 when none did.',
      tag: 'Message',
      camundaDocs: camundaDocs('correlate-message'),
      body: {
        contentType: 'application/json',
        schemaName: 'MessageCorrelationRequest',
        schema: REQUEST_SCHEMAS.MessageCorrelationRequest,
        required: true,
      },
      success: { status: 200, description: 'The message was correlated.', schemaName: 'MessageCorrelationResult' },
      errors: [400, 404, 503, 504],
      handler: async (ctx, request) => {
        const body = request.body as Record<string, unknown>;
        const result = await ctx.api.correlateMessage({
          name: decodeRequiredString(body.name, 'name'),
          correlationKey: decodeString(body.correlationKey, 'correlationKey'),
          variables: decodeVariables(body.variables),
          tenantId: decodeTenant(body.tenantId, 'Correlate message', ctx.multiTenancy),
          requestTimeoutMs: ctx.timeouts.requestMs,
        });
        return {
          tenantId: tenant(result.tenantId),
          messageKey: key(result.messageKey),
          processInstanceKey: key(result.processInstanceKey),
        };
      },
    },
  ],
};

export const signalRoutes: RouteGroup = {
  name: 'signals',
  routes: [
    {
      method: 'POST',
      path: '/signals/broadcast',
      operationId: 'broadcastSignal',
      summary: 'Broadcast signal',
      description:
        'Fires a signal on every partition: each element instance waiting for its name (catch, boundary ' +
        'and event sub-process start events) is triggered, and each process with a signal start event for ' +
        'it starts one instance. Answered once the partition that took it has committed it.',
      tag: 'Signal',
      camundaDocs: camundaDocs('broadcast-signal'),
      body: { contentType: 'application/json', schemaName: 'SignalBroadcastRequest', schema: REQUEST_SCHEMAS.SignalBroadcastRequest, required: true },
      success: { status: 200, description: 'The signal was broadcast.', schemaName: 'SignalBroadcastResult' },
      errors: [400, 503],
      handler: async (ctx, request) => {
        const body = request.body as Record<string, unknown>;
        const result = await ctx.api.broadcastSignal({
          signalName: decodeRequiredString(body.signalName, 'signalName'),
          variables: decodeVariables(body.variables),
          tenantId: decodeTenant(body.tenantId, 'Broadcast signal', ctx.multiTenancy),
        });
        return { tenantId: tenant(result.tenantId), signalKey: key(result.key) };
      },
    },
  ],
};
