import { deleteProcessDefinition } from '../../behaviors/process-definitions.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { CommandDistributionValue, ResourceDeletionValue } from '../../records.js';
import { partitionOfKey } from '../../state/engine-state.js';

/**
 * RESOURCE_DELETION DELETE: from a client on partition 1, where deployments are made (key -1), then
 * distributed to every other partition (key = the deletion's key), each deleting its copy. Only
 * process definitions are resources in Zen so far; any other key is not found.
 */
export function resourceDeletionDelete(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as ResourceDeletionValue;
  const distributed = command.key > 0n;
  const row = ctx.state.processes.get(value.resourceKey);
  if (!row || row.deleting) {
    if (distributed) {
      ctx.discard();
      // A re-send of a deletion done here already: only the acknowledgement was missing. Else the
      // deployment has not reached this partition yet: unacknowledged, the deletion comes again.
      if (row || ctx.state.wasDeleted(value.resourceKey)) acknowledge(ctx, command.key);
      return;
    }
    ctx.reject('NOT_FOUND', `Expected to delete resource but no resource found with key \`${value.resourceKey}\``);
    return;
  }
  const key = distributed ? command.key : ctx.nextKey();
  const deletion: ResourceDeletionValue = { resourceKey: value.resourceKey, tenantId: row.value.tenantId };
  ctx.event('RESOURCE_DELETION', 'DELETING', key, deletion);
  deleteProcessDefinition(ctx, row, !distributed);
  ctx.event('RESOURCE_DELETION', 'DELETED', key, deletion);
  if (distributed) {
    acknowledge(ctx, command.key);
    return;
  }
  for (let partitionId = 1; partitionId <= ctx.config.partitionCount; partitionId++) {
    if (partitionId === ctx.partitionId) continue;
    const distribution: CommandDistributionValue = { partitionId, valueType: 'RESOURCE_DELETION', intent: 'DELETE', commandValue: deletion };
    ctx.event('COMMAND_DISTRIBUTION', 'DISTRIBUTING', key, distribution);
    ctx.send({ partitionId, valueType: 'RESOURCE_DELETION', intent: 'DELETE', key, value: deletion });
  }
  ctx.respond(key, deletion);
}

function acknowledge(ctx: ProcessingContext, key: bigint): void {
  const ack: CommandDistributionValue = { partitionId: ctx.partitionId, valueType: 'RESOURCE_DELETION', intent: 'DELETE', commandValue: null };
  ctx.send({ partitionId: partitionOfKey(key), valueType: 'COMMAND_DISTRIBUTION', intent: 'ACKNOWLEDGE', key, value: ack });
}
