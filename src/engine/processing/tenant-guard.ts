/**
 * The tenants a client's command names, checked against the partition's configuration. The
 * gateways check them first; the partition checks again because it is the one that decides: a
 * node started with `--multi-tenancy` may forward a command to a leader started without it
 * (a cluster part-way through a configuration change), and that leader keeps to its own word.
 * Commands between partitions (a distributed deployment or signal) are past this point already.
 */
import { DEFAULT_TENANT } from '../tenants.js';
import type { EngineCommand, EngineConfig } from './types.js';

/** The tenants a client command names, by value type and intent; null for other commands. */
function namedTenants(command: EngineCommand): readonly unknown[] | null {
  const value = command.value as { tenantId?: unknown; tenantIds?: unknown } | null;
  if (!value) return null;
  switch (command.valueType) {
    case 'DEPLOYMENT':
    case 'SIGNAL':
      // Keyed: distributed from the partition that took it.
      return command.key > 0n ? null : [value.tenantId];
    case 'PROCESS_INSTANCE_CREATION':
    case 'MESSAGE':
    case 'MESSAGE_CORRELATION':
    case 'DECISION_EVALUATION':
    case 'CONDITIONAL_EVALUATION':
      return [value.tenantId];
    case 'JOB_BATCH':
      return Array.isArray(value.tenantIds) ? value.tenantIds : null;
    default:
      return null;
  }
}

/** Why the command may not name its tenant here; null when it may. */
export function tenantRefusal(config: EngineConfig, command: EngineCommand): string | null {
  if (config.multiTenancy) return null;
  for (const tenantId of namedTenants(command) ?? []) {
    if (tenantId === undefined || tenantId === '' || tenantId === DEFAULT_TENANT) continue;
    return `Expected to handle ${command.valueType} ${command.intent} with tenant identifier '${String(tenantId)}', but multi-tenancy is disabled`;
  }
  return null;
}
