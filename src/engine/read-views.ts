/**
 * Reads served from a partition's state — by its leader or by any follower that applied the
 * log — without going through the command path. Pure and read-only, like queries.ts; they see
 * runtime state only, so a completed or cancelled instance is not found.
 */
import type { ElementState } from './state/types.js';
import { type EngineState, KEY_COUNTER_MASK } from './state/engine-state.js';
import { jobKeyOf } from './state/element-instances.js';

export type ReadQuery = { readonly kind: 'processInstance'; readonly key: bigint };

export interface ActiveElementView {
  readonly elementInstanceKey: bigint;
  readonly elementId: string;
  readonly elementType: string;
  readonly state: ElementState;
}

export interface ProcessInstanceView {
  readonly processInstanceKey: bigint;
  readonly processDefinitionKey: bigint;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
  /** -1 when the instance was not started by another one. */
  readonly parentProcessInstanceKey: bigint;
  readonly parentElementInstanceKey: bigint;
  readonly hasIncident: boolean;
  /** Element instances below the process, depth first in creation order. */
  readonly activeElements: readonly ActiveElementView[];
}

export type ReadResult = ProcessInstanceView | null;

/**
 * Whether this state has applied far enough to answer the query: a key above the partition's
 * key counter was created by entries this replica has not applied yet, and "not found" from
 * it would contradict a write the client already saw acknowledged.
 */
export function hasReached(state: EngineState, query: ReadQuery): boolean {
  return (query.key & KEY_COUNTER_MASK) <= state.keyCounter;
}

export function runRead(state: EngineState, query: ReadQuery): ReadResult {
  switch (query.kind) {
    case 'processInstance':
      return processInstanceView(state, query.key);
  }
}

export function processInstanceView(state: EngineState, key: bigint): ProcessInstanceView | null {
  const root = state.elementInstances.get(key);
  if (!root || root.value.bpmnElementType !== 'PROCESS' || root.value.processInstanceKey !== key) return null;
  const activeElements: ActiveElementView[] = [];
  let hasIncident = state.incidents.ofElementInstance(key) !== undefined;
  // The instance's own elements are listed; those of processes its call activities started
  // (on this partition) only count for hasIncident, as a caller shows its callees' incidents.
  const visit = (scopeKey: bigint, list: boolean) => {
    for (const childKey of state.elementInstances.childrenOf(scopeKey)) {
      const child = state.elementInstances.get(childKey);
      if (!child) continue;
      if (list) activeElements.push({ elementInstanceKey: childKey, elementId: child.value.elementId, elementType: child.value.bpmnElementType, state: child.state });
      if (state.incidents.ofElementInstance(childKey) !== undefined) hasIncident = true;
      const jobKey = jobKeyOf(child);
      if (jobKey > 0n && state.incidents.ofJob(jobKey) !== undefined) hasIncident = true;
      visit(childKey, list);
      if (child.payload.kind === 'callActivity') {
        const called = child.payload.calledInstanceKey;
        if (state.incidents.ofElementInstance(called) !== undefined) hasIncident = true;
        visit(called, false);
      }
    }
  };
  visit(key, true);
  const v = root.value;
  return {
    processInstanceKey: key,
    processDefinitionKey: v.processDefinitionKey,
    bpmnProcessId: v.bpmnProcessId,
    version: v.version,
    tenantId: v.tenantId,
    parentProcessInstanceKey: v.parentProcessInstanceKey,
    parentElementInstanceKey: v.parentElementInstanceKey,
    hasIncident,
    activeElements,
  };
}
