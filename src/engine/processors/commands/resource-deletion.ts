import { deletableResource, deleteResource, knewResource, tenantOf } from '../../behaviors/resource-deletion.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { EngineCommand } from '../../processing/types.js';
import type { CommandDistributionValue, ResourceDeletionValue } from '../../records.js';
import { partitionOfKey } from '../../state/engine-state.js';

/**
 * RESOURCE_DELETION DELETE: from a client on partition 1, where deployments are made (key -1), then
 * distributed to every other partition (key = the deletion's key), each deleting its copy. A
 * process definition, decision requirements (with their decisions) or a form; any other key, a
 * decision's own key too, is not found (as in Zeebe).
 */
export function resourceDeletionDelete(ctx: ProcessingContext, command: EngineCommand): void {
  const value = command.value as ResourceDeletionValue;
  const distributed = command.key > 0n;
  const found = deletableResource(ctx.state, value.resourceKey);
  // Distributed deletions carry no client: only the one partition 1 took is checked.
  const resource = found && (distributed || ctx.mayUseTenant(tenantOf(found))) ? found : undefined;
  if (!resource) {
    if (distributed) {
      ctx.discard();
      // A re-send of a deletion done here already: only the acknowledgement was missing. Else the
      // deployment has not reached this partition yet: unacknowledged, the deletion comes again.
      if (knewResource(ctx.state, value.resourceKey)) acknowledge(ctx, command.key);
      return;
    }
    ctx.reject('NOT_FOUND', `Expected to delete resource but no resource found with key \`${value.resourceKey}\``);
    return;
  }
  const key = distributed ? command.key : ctx.nextKey();
  const deletion: ResourceDeletionValue = { resourceKey: value.resourceKey, tenantId: tenantOf(resource) };
  ctx.event('RESOURCE_DELETION', 'DELETING', key, deletion);
  deleteResource(ctx, resource, !distributed);
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
