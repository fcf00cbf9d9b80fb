/**
 * Signals reach every partition: the partition that takes a broadcast (a client's, or a signal
 * throw or end event) fires it locally and distributes it to every other partition, which fires
 * it there (at least once, acknowledged; a re-send is recognised). Firing means triggering every
 * element instance that waits for the name; signal start events start instances only on the
 * partition that took the broadcast, so one broadcast starts one instance per process.
 */
import { namedStartEvents } from '../models.js';
import type { ProcessingContext } from '../processing/context.js';
import type { ExecutableElement } from '../../model/types.js';
import { parseJson } from '../json.js';
import type { CommandDistributionValue, SignalValue, Variables } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { evalString } from './expressions.js';
import { raiseIncident } from './incidents.js';
import { visibleVariables } from './variables.js';
import { triggerEvent } from './event-triggers.js';
import { startProcessInstance } from './process-instances.js';
import { tenantOf } from '../tenants.js';


/** A new broadcast taken here: fired here, sent to the other partitions. Returns its key. */
export function broadcastSignal(ctx: ProcessingContext, value: SignalValue): bigint {
  const key = ctx.nextKey();
  ctx.event('SIGNAL', 'BROADCASTED', key, value);
  fireSignal(ctx, value, true);
  for (let partitionId = 1; partitionId <= ctx.config.partitionCount; partitionId++) {
    if (partitionId === ctx.partitionId) continue;
    const distribution: CommandDistributionValue = { partitionId, valueType: 'SIGNAL', intent: 'BROADCAST', commandValue: value };
    ctx.event('COMMAND_DISTRIBUTION', 'DISTRIBUTING', key, distribution);
    ctx.send({ partitionId, valueType: 'SIGNAL', intent: 'BROADCAST', key, value });
  }
  return key;
}

/** Fires a signal on this partition, within its tenant; `startProcesses` where the broadcast was taken. */
export function fireSignal(ctx: ProcessingContext, value: SignalValue, startProcesses: boolean): void {
  const tenantId = tenantOf(value.tenantId);
  for (const subscription of ctx.state.signals.waitingFor(value.signalName, tenantId)) {
    // An earlier trigger in this loop (an interrupting one) may have closed it.
    if (!ctx.state.signals.ofElementInstance(subscription.elementInstanceKey).some((s) => s.catchElementId === subscription.catchElementId && s.signalName === subscription.signalName)) continue;
    const waiting = ctx.state.elementInstances.get(subscription.elementInstanceKey);
    if (!waiting) continue;
    const event = ctx.models.get(waiting.value.processDefinitionKey).elements.get(subscription.catchElementId)!;
    if (event.id === waiting.value.elementId && waiting.state === 'ACTIVATED') {
      // A catch event keeps the signal's variables for its completion (output mappings).
      const v = waiting.value;
      ctx.event('PROCESS_EVENT', 'TRIGGERED', waiting.key, { scopeKey: waiting.key, targetElementId: event.id, variables: value.variables, processDefinitionKey: v.processDefinitionKey, processInstanceKey: v.processInstanceKey, tenantId: v.tenantId });
    }
    triggerEvent(ctx, waiting, event, value.variables);
  }
  if (!startProcesses) return;
  for (const process of ctx.state.processes.latestVersions(tenantId)) {
    if (!ctx.models.has(process.key)) continue;
    const start = namedStartEvents(ctx.models.get(process.key), 'signal').get(value.signalName);
    if (start) startProcessInstance(ctx, process.value, value.variables, start.id);
  }
}

/**
 * A signal throw or end event broadcasts its signal (name evaluated in its scope) with its own
 * local variables (its input mappings); false when the name failed to evaluate (an incident).
 */
export function throwSignal(ctx: ProcessingContext, thrower: ElementInstance, element: ExecutableElement): boolean {
  const name = evalString(element.signal!.name, element.signal!.name.kind === 'feel' ? visibleVariables(ctx, thrower.key) : {}, ctx.now);
  if (!name.ok) {
    raiseIncident(ctx, thrower, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the signal name: ${name.message}`);
    return false;
  }
  const variables: Variables = {};
  for (const [variable, row] of ctx.state.variables.local(thrower.key)) variables[variable] = parseJson(row.value);
  broadcastSignal(ctx, { signalName: name.value, variables, tenantId: thrower.value.tenantId });
  return true;
}
