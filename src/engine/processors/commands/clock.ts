import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { ClockValue, CommandDistributionValue } from '../../records.js';
import { partitionOfKey } from '../../state/engine-state.js';

/** CLOCK PIN: the engine clock stands still at `time` (epoch ms) on every partition. */
export function clockPin(ctx: ProcessingContext, command: EngineCommand): void {
  const { time } = command.value as ClockValue;
  if (command.key <= 0n && (!Number.isSafeInteger(time) || time < 0)) {
    ctx.reject('INVALID_ARGUMENT', `Expected pin time to be not negative but it was ${time}`);
    return;
  }
  changeClock(ctx, command, 'PIN', { time });
}

/** CLOCK RESET: back to the system clock on every partition. */
export function clockReset(ctx: ProcessingContext, command: EngineCommand): void {
  changeClock(ctx, command, 'RESET', { time: 0 });
}

/**
 * From a client on partition 1 (key -1): a new key, the event, and the command distributed to
 * every other partition (key = that key), each writing the same event and acknowledging. Keys
 * of partition 1 grow, so a re-sent change older than the one a partition already took is only
 * acknowledged: it must not move the clock back.
 */
function changeClock(ctx: ProcessingContext, command: EngineCommand, intent: 'PIN' | 'RESET', value: ClockValue): void {
  const distributed = command.key > 0n;
  const eventIntent = intent === 'PIN' ? 'PINNED' : 'RESETTED';
  if (distributed) {
    if (command.key <= ctx.state.clockChangeKey) ctx.discard();
    else ctx.event('CLOCK', eventIntent, command.key, value);
    acknowledge(ctx, command.key, intent);
    return;
  }
  const key = ctx.nextKey();
  ctx.event('CLOCK', eventIntent, key, value);
  for (let partitionId = 1; partitionId <= ctx.config.partitionCount; partitionId++) {
    if (partitionId === ctx.partitionId) continue;
    const distribution: CommandDistributionValue = { partitionId, valueType: 'CLOCK', intent, commandValue: value };
    ctx.event('COMMAND_DISTRIBUTION', 'DISTRIBUTING', key, distribution);
    ctx.send({ partitionId, valueType: 'CLOCK', intent, key, value });
  }
  ctx.respond(key, value);
}

function acknowledge(ctx: ProcessingContext, key: bigint, intent: 'PIN' | 'RESET'): void {
  const ack: CommandDistributionValue = { partitionId: ctx.partitionId, valueType: 'CLOCK', intent, commandValue: null };
  ctx.send({ partitionId: partitionOfKey(key), valueType: 'COMMAND_DISTRIBUTION', intent: 'ACKNOWLEDGE', key, value: ack });
}
