import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { decodeDuration, decodeRequiredString, decodeString, decodeTenant, decodeVariables } from './decode.js';
import { int64, tenant } from './encode.js';
import type { RpcContext } from './types.js';
import { unary } from './unary.js';
import type { BroadcastSignalRequest, BroadcastSignalResponse, PublishMessageRequest, PublishMessageResponse } from './wire.js';

export function messageHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    PublishMessage: unary<PublishMessageRequest, PublishMessageResponse>(ctx, 'PublishMessage', async (req) => {
      const result = await ctx.api.publishMessage({
        name: decodeRequiredString(req.name, 'name'),
        // Empty is legal: message start events correlate without a key.
        correlationKey: decodeString(req.correlationKey),
        timeToLiveMs: decodeDuration(req.timeToLive, 'timeToLive'),
        messageId: decodeString(req.messageId),
        variables: decodeVariables(req.variables),
        tenantId: decodeTenant(req.tenantId, 'PublishMessage', ctx.multiTenancy),
      });
      return { key: int64(result.key), tenantId: tenant(result.tenantId) };
    }),
    BroadcastSignal: unary<BroadcastSignalRequest, BroadcastSignalResponse>(ctx, 'BroadcastSignal', async (req) => {
      const result = await ctx.api.broadcastSignal({
        signalName: decodeRequiredString(req.signalName, 'signalName'),
        variables: decodeVariables(req.variables),
        tenantId: decodeTenant(req.tenantId, 'BroadcastSignal', ctx.multiTenancy),
      });
      return { key: int64(result.key), tenantId: tenant(result.tenantId) };
    }),
  };
}
