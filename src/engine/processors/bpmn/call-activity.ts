/**
 * A call activity starts an instance of another process and waits for it: the child's root
 * carries the caller's keys (parentProcessInstanceKey / parentElementInstanceKey), starts with
 * the caller's variables (all visible ones, or only the call activity's input mappings), and on
 * completion hands its variables back (processors/bpmn/process.ts triggers the call activity).
 * Terminating the call activity terminates the child. The child runs on the partition
 * `childPartition` picks: on this one within the same command, on another one through
 * commands between the partitions (behaviors/called-processes.ts, docs/adr/008).
 */
import { calledRootValue, cancelRemoteChild, childPartition, requestChild } from '../../behaviors/called-processes.js';
import { closeSubscriptions, subscribeToWaitingEvents } from '../../behaviors/event-subscriptions.js';
import { evalString } from '../../behaviors/expressions.js';
import { raiseIncident } from '../../behaviors/incidents.js';
import { applyOutputMappings } from '../../behaviors/io-mappings.js';
import { terminate, toActivated, toCompleted } from '../../behaviors/transitions.js';
import { visibleVariables } from '../../behaviors/variables.js';
import type { CalledElementDefinition } from '../../../model/types.js';
import { parseJson } from '../../json.js';
import type { ProcessingContext } from '../../processing/context.js';
import type { Variables } from '../../records.js';
import type { ElementInstance, ProcessRow } from '../../state/types.js';
import { endListenersDone } from '../../behaviors/execution-listeners.js';
import { elementProcessor } from './element-processor.js';
import { tenantOf } from '../../tenants.js';

/** The process a call activity starts: one of its caller's tenant (Zeebe resolves `calledElement` there). */
function findCalledProcess(ctx: ProcessingContext, caller: ElementInstance, called: CalledElementDefinition, processId: string): ProcessRow | string {
  const { processes } = ctx.state;
  const tenantId = tenantOf(caller.value.tenantId);
  if (called.bindingType === 'latest') {
    return processes.latest(processId, tenantId) ?? `Expected process with BPMN process id '${processId}' to be deployed, but not found.`;
  }
  const candidates = [...processes.all()]
    .filter((p) => p.value.bpmnProcessId === processId && tenantOf(p.value.tenantId) === tenantId && !p.deleting)
    .sort((a, b) => b.value.version - a.value.version);
  if (called.bindingType === 'deployment') {
    const deploymentKey = processes.get(caller.value.processDefinitionKey)?.value.deploymentKey;
    return (
      candidates.find((p) => p.value.deploymentKey === deploymentKey) ??
      `Expected process with BPMN process id '${processId}' to be deployed with the calling process (binding type 'deployment'), but it was not.`
    );
  }
  return (
    candidates.find((p) => ctx.models.has(p.key) && ctx.models.get(p.key).versionTag === called.versionTag) ??
    `Expected process with BPMN process id '${processId}' and version tag '${called.versionTag}' to be deployed, but not found.`
  );
}

export const callActivityProcessor = elementProcessor({
  activate(ctx, instance, element, model) {
    const called = element.calledElement!;
    let vars: Variables | null = null;
    const context = () => (vars ??= visibleVariables(ctx, instance.key));
    const processId = evalString(called.processId, called.processId.kind === 'feel' ? context() : {}, ctx.now);
    if (!processId.ok) {
      raiseIncident(ctx, instance, 'EXTRACT_VALUE_ERROR', `Element '${element.id}': failed to evaluate the called process id: ${processId.message}`);
      return;
    }
    const found = findCalledProcess(ctx, instance, called, processId.value);
    if (typeof found === 'string') {
      raiseIncident(ctx, instance, 'CALLED_ELEMENT_ERROR', found);
      return;
    }
    if (!subscribeToWaitingEvents(ctx, instance, element, model, context)) return;
    toActivated(ctx, instance);

    const handedOver = called.propagateAllParentVariables ? context() : localVariables(ctx, instance.key);
    const target = childPartition(instance.key, ctx.config.partitionCount);
    if (target !== ctx.partitionId) {
      requestChild(ctx, instance, found.value, target, handedOver);
      return;
    }
    const childKey = ctx.nextKey();
    const child = calledRootValue(found.value, childKey, instance.value.processInstanceKey, instance.key);
    ctx.enqueue({ kind: 'ACTIVATE', key: childKey, value: child, rootVariables: handedOver });
  },
  complete(ctx, instance, element, model) {
    closeSubscriptions(ctx, instance);
    // The child's variables arrived as the trigger's: without output mappings they go up only if the model says so.
    const propagate = element.outputMappings.length > 0 || element.calledElement!.propagateAllChildVariables;
    if (!(propagate ? applyOutputMappings(ctx, instance, element) : endListenersDone(ctx, instance, element))) return;
    toCompleted(ctx, instance, model, element.outgoing);
  },
  terminate(ctx, instance) {
    closeSubscriptions(ctx, instance);
    if (cancelRemoteChild(ctx, instance)) return;
    if (instance.payload.kind === 'callActivity') terminate(ctx, instance.payload.calledInstanceKey);
  },
});

/** The call activity's own variables (its input mappings). */
function localVariables(ctx: ProcessingContext, scopeKey: bigint): Variables {
  const out: Variables = {};
  for (const [name, row] of ctx.state.variables.local(scopeKey)) out[name] = parseJson(row.value);
  return out;
}
