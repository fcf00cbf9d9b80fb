import { bigintKey, type Journal, Table } from './table.js';
import { type ElementInstance, NO_PAYLOAD } from './types.js';

/** The instance without listener progress: a new step (or a step run again) starts with its first listener. */
export function withoutListeners(instance: ElementInstance): ElementInstance {
  if (instance.listeners === undefined) return instance;
  const { listeners: _dropped, ...rest } = instance;
  return rest;
}

/** The job an element instance waits for (an execution listener's, a task's, or a user task's listener's), or -1n. */
export function jobKeyOf(instance: ElementInstance): bigint {
  const listenerJob = instance.listeners?.jobKey ?? -1n;
  if (listenerJob > 0n) return listenerJob;
  if (instance.payload.kind === 'job') return instance.payload.jobKey;
  return instance.payload.kind === 'userTask' ? instance.payload.listenerJobKey : -1n;
}

/** The Camunda user task of an element instance, or -1n. */
export function userTaskKeyOf(instance: ElementInstance): bigint {
  return instance.payload.kind === 'userTask' ? instance.payload.userTaskKey : -1n;
}

/** Rows checkpointed before payloads existed carry a task's job as `jobKey`. */
function upgradeRow(row: unknown): ElementInstance {
  const instance = row as ElementInstance & { jobKey?: bigint };
  if (instance.payload !== undefined) return instance;
  const { jobKey, ...rest } = instance;
  return { ...rest, payload: jobKey !== undefined && jobKey > 0n ? { kind: 'job', jobKey } : NO_PAYLOAD };
}

export class ElementInstanceState {
  readonly table: Table<bigint, ElementInstance>;
  /** Children per flow scope, for termination and scope queries. */
  private readonly children = new Map<bigint, Set<bigint>>();
  /** Process instances running per process definition (a deleted definition goes once none is left). */
  private readonly instancesOfDefinition = new Map<bigint, number>();
  private running = 0;

  constructor(journal: Journal) {
    this.table = new Table('element_instances', bigintKey, journal, upgradeRow);
    this.table.onChange((key, previous, next) => {
      const scope = (previous ?? next)!.value.flowScopeKey;
      if (scope < 0n) {
        this.countInstance(previous, -1);
        this.countInstance(next, 1);
        return;
      }
      if (next === undefined) {
        const set = this.children.get(scope);
        set?.delete(key);
        if (set && set.size === 0) this.children.delete(scope);
      } else if (previous === undefined) {
        let set = this.children.get(scope);
        if (!set) this.children.set(scope, (set = new Set()));
        set.add(key);
      }
    });
  }

  private countInstance(instance: ElementInstance | undefined, delta: number): void {
    if (!instance) return;
    this.running += delta;
    const definition = instance.value.processDefinitionKey;
    const count = (this.instancesOfDefinition.get(definition) ?? 0) + delta;
    if (count === 0) this.instancesOfDefinition.delete(definition);
    else this.instancesOfDefinition.set(definition, count);
  }

  /** Process instances (root element instances) in the state, whatever their phase. */
  get runningProcessInstances(): number {
    return this.running;
  }

  /** Whether any process instance still runs on this definition. */
  hasInstancesOf(processDefinitionKey: bigint): boolean {
    return this.instancesOfDefinition.has(processDefinitionKey);
  }

  get(key: bigint): ElementInstance | undefined {
    return this.table.get(key);
  }

  put(instance: ElementInstance): void {
    this.table.set(instance.key, instance);
  }

  update(key: bigint, change: (instance: ElementInstance) => ElementInstance): void {
    const current = this.table.get(key);
    if (current) this.table.set(key, change(current));
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  /** Child instance keys of a flow scope, in creation order. */
  childrenOf(scopeKey: bigint): bigint[] {
    const set = this.children.get(scopeKey);
    return set ? [...set] : [];
  }
}
