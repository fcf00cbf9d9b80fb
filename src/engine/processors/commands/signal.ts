import { broadcastSignal, fireSignal } from '../../behaviors/signals.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { CommandDistributionValue, SignalValue } from '../../records.js';
import { partitionOfKey } from '../../state/engine-state.js';
import { tenantOf } from '../../tenants.js';

/** SIGNAL BROADCAST: from a client (key -1), or distributed from the partition that took it. */
export function signalBroadcast(ctx: ProcessingContext, command: EngineCommand): void {
  const value: SignalValue = { ...(command.value as SignalValue), tenantId: tenantOf((command.value as SignalValue).tenantId) };
  if (command.key <= 0n) {
    const key = broadcastSignal(ctx, value);
    ctx.respond(key, { key, tenantId: value.tenantId });
    return;
  }
  // Distributed: fired once however often it is re-sent, acknowledged every time.
  if (ctx.state.signals.wasReceived(command.key)) ctx.discard();
  else {
    ctx.event('SIGNAL', 'BROADCASTED', command.key, value);
    fireSignal(ctx, value, false);
  }
  const ack: CommandDistributionValue = { partitionId: ctx.partitionId, valueType: 'SIGNAL', intent: 'BROADCAST', commandValue: null };
  ctx.send({ partitionId: partitionOfKey(command.key), valueType: 'COMMAND_DISTRIBUTION', intent: 'ACKNOWLEDGE', key: command.key, value: ack });
}
