/**
 * Reads served from a partition's state — by its leader or by any follower that applied the
 * log — without going through the command path. Pure and read-only, like queries.ts; they see
 * runtime state only, so a completed or cancelled instance is not found.
 */
import type { ElementState } from './state/types.js';
import { type EngineState, KEY_COUNTER_MASK } from './state/engine-state.js';
import { jobKeyOf } from './state/element-instances.js';
import type { UserTaskRow } from './state/user-tasks.js';
import type { UserRow } from './state/users.js';
import type { AuthorizationRow } from './state/authorizations.js';
import type { MemberSetRow } from './state/member-sets.js';
import type { MappingRuleRow } from './state/mapping-rules.js';
import type { TenantRow } from './state/tenant-rows.js';

export type ReadQuery =
  | { readonly kind: 'processInstance'; readonly key: bigint }
  | { readonly kind: 'userTask'; readonly key: bigint }
  | { readonly kind: 'userTaskForm'; readonly key: bigint }
  | { readonly kind: 'processDefinitionXml'; readonly key: bigint }
  /** Partition 1's user table, unless it is still at version `since` (docs/adr/012). */
  | { readonly kind: 'users'; readonly since: number };

/** The user table as a node mirrors it: the whole table when it changed since the version asked about. */
export type UsersView =
  | {
      readonly version: number;
      readonly changed: true;
      readonly users: readonly UserRow[];
      /** The authorizations share the version (docs/adr/013); absent from replicas older than them. */
      readonly authorizations?: readonly AuthorizationRow[];
      /** Groups, roles and mapping rules (docs/adr/014), in the same version; absent from older replicas. */
      readonly groups?: readonly MemberSetRow[];
      readonly roles?: readonly MemberSetRow[];
      readonly mappingRules?: readonly MappingRuleRow[];
      /** The tenants and their members (the default one always); absent from replicas older than them. */
      readonly tenants?: readonly TenantRow[];
    }
  | { readonly version: number; readonly changed: false };

/** A user task as reads show it; `state` as Camunda's REST API names it. */
export interface UserTaskView {
  readonly userTaskKey: bigint;
  readonly state: 'CREATING' | 'CREATED' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'CANCELING';
  readonly name: string;
  readonly assignee: string;
  readonly candidateGroups: readonly string[];
  readonly candidateUsers: readonly string[];
  readonly dueDate: string;
  readonly followUpDate: string;
  readonly formKey: bigint;
  readonly externalFormReference: string;
  readonly priority: number;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly elementId: string;
  readonly elementInstanceKey: bigint;
  readonly processInstanceKey: bigint;
  readonly processDefinitionKey: bigint;
  readonly bpmnProcessId: string;
  readonly processDefinitionVersion: number;
  readonly processName: string;
  readonly creationTimestamp: number;
  readonly tenantId: string;
}

export interface FormView {
  readonly formKey: bigint;
  readonly formId: string;
  readonly version: number;
  /** The form-js JSON as deployed. */
  readonly schema: string;
  readonly tenantId: string;
}

/** The form of a user task: null `form` when the task has none. */
export interface UserTaskFormView {
  readonly form: FormView | null;
}

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
  /** Instances its call activities started on other partitions: their incidents are read there. */
  readonly remoteCalledInstances: readonly bigint[];
}

/** A deployed process's BPMN document, as deployed. */
export interface ProcessDefinitionXmlView {
  readonly xml: string;
  /** Absent from a node that predates it: the default tenant's. */
  readonly tenantId?: string;
}

export type ReadResult = ProcessInstanceView | UserTaskView | UserTaskFormView | UserTaskView[] | ProcessDefinitionXmlView | UsersView | null;

/**
 * Whether this state has applied far enough to answer the query: a key above the partition's
 * key counter was created by entries this replica has not applied yet, and "not found" from
 * it would contradict a write the client already saw acknowledged.
 */
export function hasReached(state: EngineState, query: ReadQuery): boolean {
  // Unkeyed reads (the user table) carry their own version, which the reader compares.
  if (!('key' in query)) return true;
  return (query.key & KEY_COUNTER_MASK) <= state.keyCounter;
}

export function runRead(state: EngineState, query: ReadQuery): ReadResult {
  switch (query.kind) {
    case 'processInstance':
      return processInstanceView(state, query.key);
    case 'userTask': {
      const row = state.userTasks.get(query.key);
      return row ? userTaskView(row) : null;
    }
    case 'userTaskForm':
      return userTaskFormView(state, query.key);
    case 'processDefinitionXml': {
      const row = state.processes.get(query.key);
      return row ? { xml: row.value.resource, tenantId: row.value.tenantId } : null;
    }
    case 'users': {
      const version = state.users.version;
      return version === query.since ? { version, changed: false } : {
            version,
            changed: true,
            users: state.users.all(),
            authorizations: state.authorizations.all(),
            groups: state.groups.all(),
            roles: state.roles.all(),
            mappingRules: state.mappingRules.all(),
            tenants: state.tenants.all(),
          };
    }
  }
}

export function userTaskView(row: UserTaskRow): UserTaskView {
  const v = row.value;
  return {
    userTaskKey: row.key,
    // Camunda's API has no CLAIMING: a claim is an assignment.
    state: row.state === 'CLAIMING' ? 'ASSIGNING' : row.state,
    name: row.name,
    assignee: v.assignee,
    candidateGroups: v.candidateGroupsList,
    candidateUsers: v.candidateUsersList,
    dueDate: v.dueDate,
    followUpDate: v.followUpDate,
    formKey: v.formKey,
    externalFormReference: v.externalFormReference,
    priority: v.priority,
    customHeaders: v.customHeaders,
    elementId: v.elementId,
    elementInstanceKey: v.elementInstanceKey,
    processInstanceKey: v.processInstanceKey,
    processDefinitionKey: v.processDefinitionKey,
    bpmnProcessId: v.bpmnProcessId,
    processDefinitionVersion: v.processDefinitionVersion,
    processName: row.processName,
    creationTimestamp: v.creationTimestamp,
    tenantId: v.tenantId,
  };
}

function userTaskFormView(state: EngineState, key: bigint): UserTaskFormView | null {
  const row = state.userTasks.get(key);
  if (!row) return null;
  const form = row.value.formKey > 0n ? state.forms.get(row.value.formKey) : undefined;
  if (!form) return { form: null };
  const f = form.value;
  return { form: { formKey: form.key, formId: f.formId, version: f.version, schema: f.resource, tenantId: f.tenantId } };
}

export function processInstanceView(state: EngineState, key: bigint): ProcessInstanceView | null {
  const root = state.elementInstances.get(key);
  if (!root || root.value.bpmnElementType !== 'PROCESS' || root.value.processInstanceKey !== key) return null;
  const activeElements: ActiveElementView[] = [];
  const remoteCalledInstances: bigint[] = [];
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
        if (called > 0n && state.elementInstances.get(called) === undefined) remoteCalledInstances.push(called);
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
    remoteCalledInstances,
  };
}

/** Every row of a state, table by table, sorted by key: to compare replicas. */
export function stateDump(state: EngineState): Record<string, Array<[string, unknown]>> {
  const out: Record<string, Array<[string, unknown]>> = {};
  for (const table of state.tables()) out[table.name] = table.entries().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}
