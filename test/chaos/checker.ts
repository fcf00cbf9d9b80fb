/**
 * The verdict on a run, once faults are healed and the work is quiesced: what the cluster ends
 * with (read over REST searches: variables, process instances, element instances, correlated
 * messages) judged against what clients were told (the OperationLog):
 * - every acknowledged create exists exactly once (its tag on exactly one instance, the
 *   acknowledged key) and ended COMPLETED; no tag is on two instances; no instance carries a
 *   tag nobody sent; a create refused outright did not happen anyway;
 * - every instance passed each element of its path at most once, and the acknowledged ones
 *   exactly once: the timer fired once, the message was caught once, the task ran once;
 * - no job and no user task was completed with success twice;
 * - a message id was accepted at most once, and each correlation key correlated at most once.
 * `judge` is pure (unit-tested); `collectEndState` does the reading.
 */
import type { ChaosCluster } from './chaos-cluster.js';
import type { Operation } from './operations.js';
import { MESSAGE_NAME, PROCESS_OF, type Attempt, type InstanceShape } from './workload.js';

export interface ElementPass {
  readonly processInstanceKey: string;
  readonly elementId: string;
  readonly state: string;
}

export interface EndState {
  /** tag → instance keys carrying it. */
  readonly tagInstances: ReadonlyMap<string, ReadonlySet<string>>;
  /** instance key → state (ACTIVE, COMPLETED, TERMINATED). */
  readonly instanceStates: ReadonlyMap<string, string>;
  readonly elementPasses: readonly ElementPass[];
  /** correlation key → correlations of MESSAGE_NAME. */
  readonly correlations: ReadonlyMap<string, number>;
}

/** The elements each shape's instances pass once. */
export const PATH_OF: Readonly<Record<InstanceShape, readonly string[]>> = {
  'one-task': ['work'],
  timer: ['wait', 'work'],
  message: ['waitForPayment', 'work'],
  'user-task': ['review'],
};

export const CHECKED_ELEMENTS = ['work', 'wait', 'waitForPayment', 'review'];

/** Codes that say the command was refused, not that its answer was lost. */
const REFUSALS = new Set(['RESOURCE_EXHAUSTED', 'INVALID_ARGUMENT', 'FAILED_PRECONDITION', 'NOT_FOUND', 'PERMISSION_DENIED', 'UNAUTHENTICATED']);

export interface Verdict {
  readonly violations: string[];
  readonly figures: {
    readonly ackedCreates: number;
    readonly unacknowledgedThatExist: number;
    readonly instancesChecked: number;
    readonly jobCompletionsAcked: number;
    readonly userTaskCompletionsAcked: number;
    readonly messagesConfirmed: number;
  };
}

export function judge(attempts: ReadonlyMap<string, Attempt>, operations: readonly Operation[], end: EndState): Verdict {
  const violations: string[] = [];
  const creates = operations.filter((o) => o.kind === 'create');
  const acked = new Map<string, string>();
  const refused = new Map<string, string>();
  for (const op of creates) {
    if (op.outcome === 'ack') acked.set(op.subject!, op.result!);
    else if (op.outcome === 'error' && REFUSALS.has(op.code ?? '')) refused.set(op.subject!, op.code!);
  }

  const openElements = new Map<string, string[]>();
  for (const pass of end.elementPasses) {
    if (pass.state === 'COMPLETED') continue;
    openElements.set(pass.processInstanceKey, [...(openElements.get(pass.processInstanceKey) ?? []), `${pass.elementId} ${pass.state}`]);
  }
  for (const [tag, key] of acked) {
    const keys = end.tagInstances.get(tag);
    if (!keys || keys.size === 0) violations.push(`acknowledged create ${tag} (instance ${key}) is missing`);
    else if (!keys.has(key)) violations.push(`acknowledged create ${tag} answered instance ${key}, but the tag is on ${[...keys].join(', ')}`);
    const state = end.instanceStates.get(key);
    if (keys?.has(key) && state !== 'COMPLETED') {
      // Where it stands tells a timer that never fired from a job nobody completed.
      const at = openElements.get(key);
      violations.push(`acknowledged instance ${key} (${tag}, ${attempts.get(tag)?.shape}) ended ${state ?? 'unknown to the search'}, not COMPLETED${at ? ` (at ${at.join(', ')})` : ''}`);
    }
  }
  let unacknowledgedThatExist = 0;
  for (const [tag, keys] of end.tagInstances) {
    if (keys.size > 1) violations.push(`tag ${tag} is on ${keys.size} instances: ${[...keys].join(', ')}`);
    if (!attempts.has(tag)) violations.push(`instance(s) ${[...keys].join(', ')} carry tag ${tag}, which nobody sent`);
    if (!acked.has(tag) && keys.size > 0) {
      unacknowledgedThatExist++;
      if (refused.has(tag)) violations.push(`create ${tag} was refused with ${refused.get(tag)} but instance ${[...keys].join(', ')} exists`);
    }
  }

  // Element passes: at most once each; exactly once (and completed) on acknowledged instances.
  const passes = new Map<string, Map<string, ElementPass[]>>();
  for (const pass of end.elementPasses) {
    let byElement = passes.get(pass.processInstanceKey);
    if (!byElement) passes.set(pass.processInstanceKey, (byElement = new Map()));
    byElement.set(pass.elementId, [...(byElement.get(pass.elementId) ?? []), pass]);
  }
  const tagOfKey = new Map<string, string>();
  for (const [tag, keys] of end.tagInstances) for (const key of keys) tagOfKey.set(key, tag);
  for (const [key, byElement] of passes) {
    for (const [elementId, list] of byElement) {
      if (list.length > 1) violations.push(`instance ${key} (${tagOfKey.get(key) ?? 'no tag'}) passed ${elementId} ${list.length} times: ${list.map((p) => p.state).join(', ')}`);
    }
  }
  let instancesChecked = 0;
  for (const [tag, key] of acked) {
    const shape = attempts.get(tag)?.shape;
    if (!shape || end.instanceStates.get(key) !== 'COMPLETED') continue;
    instancesChecked++;
    for (const elementId of PATH_OF[shape]) {
      const list = passes.get(key)?.get(elementId) ?? [];
      if (list.length === 1 && list[0]!.state !== 'COMPLETED') violations.push(`completed instance ${key} (${tag}) has ${elementId} ${list[0]!.state}`);
      if (list.length === 0) violations.push(`completed instance ${key} (${tag}, ${shape}) never passed ${elementId}`);
    }
  }

  const twice = (kind: Operation['kind'], what: string) => {
    const counts = new Map<string, number>();
    for (const op of operations) if (op.kind === kind && op.outcome === 'ack') counts.set(op.subject!, (counts.get(op.subject!) ?? 0) + 1);
    for (const [subject, n] of counts) if (n > 1) violations.push(`${what} ${subject} was acknowledged ${n} times`);
    return counts.size;
  };
  const jobCompletionsAcked = twice('complete-job', 'completion of job');
  const userTaskCompletionsAcked = twice('complete-user-task', 'completion of user task');
  const messagesConfirmed = twice('publish', 'publication of message id m-');

  for (const [correlationKey, n] of end.correlations) if (n > 1) violations.push(`correlation key ${correlationKey} correlated ${n} times`);
  for (const [tag, key] of acked) {
    if (attempts.get(tag)?.shape !== 'message' || end.instanceStates.get(key) !== 'COMPLETED') continue;
    if ((end.correlations.get(tag) ?? 0) !== 1) violations.push(`completed message instance ${key} (${tag}) has ${end.correlations.get(tag) ?? 0} correlations`);
  }

  return {
    violations,
    figures: { ackedCreates: acked.size, unacknowledgedThatExist, instancesChecked, jobCompletionsAcked, userTaskCompletionsAcked, messagesConfirmed },
  };
}

/** Acknowledged instances not COMPLETED yet, read now (for quiescing). */
export async function activeAcknowledged(cluster: ChaosCluster, via: number, operations: readonly Operation[]): Promise<string[]> {
  const states = await instanceStates(cluster, via);
  return operations.filter((o) => o.kind === 'create' && o.outcome === 'ack' && states.get(o.result!) !== 'COMPLETED').map((o) => `${o.subject}:${o.result}:${states.get(o.result!) ?? 'missing'}`);
}

export async function collectEndState(cluster: ChaosCluster, via: number): Promise<EndState> {
  const tagInstances = new Map<string, Set<string>>();
  for (const v of await searchAll<{ value: string; processInstanceKey: string; scopeKey: string }>(cluster, via, '/variables/search', { name: 'tag' })) {
    if (String(v.scopeKey) !== String(v.processInstanceKey)) continue;
    const tag = JSON.parse(v.value) as string;
    let keys = tagInstances.get(tag);
    if (!keys) tagInstances.set(tag, (keys = new Set()));
    keys.add(String(v.processInstanceKey));
  }
  const elementPasses: ElementPass[] = [];
  for (const elementId of CHECKED_ELEMENTS) {
    for (const e of await searchAll<{ processInstanceKey: string; elementId: string; state: string }>(cluster, via, '/element-instances/search', { elementId })) {
      elementPasses.push({ processInstanceKey: String(e.processInstanceKey), elementId: e.elementId, state: e.state });
    }
  }
  const correlations = new Map<string, number>();
  for (const m of await searchAll<{ correlationKey: string }>(cluster, via, '/correlated-messages/search', { messageName: MESSAGE_NAME })) {
    correlations.set(m.correlationKey, (correlations.get(m.correlationKey) ?? 0) + 1);
  }
  return { tagInstances, instanceStates: await instanceStates(cluster, via), elementPasses, correlations };
}

async function instanceStates(cluster: ChaosCluster, via: number): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (const processDefinitionId of Object.values(PROCESS_OF)) {
    for (const pi of await searchAll<{ processInstanceKey: string; state: string }>(cluster, via, '/process-instances/search', { processDefinitionId })) {
      states.set(String(pi.processInstanceKey), pi.state);
    }
  }
  return states;
}

async function searchAll<T>(cluster: ChaosCluster, via: number, path: string, filter: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const response = await cluster.restRequest(via, 'POST', path, { filter, page: { limit: 1000, ...(after ? { after } : {}) } }, 30_000);
    if (!response.ok) throw new Error(`POST ${path} via node ${via}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    const body = (await response.json()) as { items: T[]; page: { endCursor?: string } };
    out.push(...body.items);
    if (body.items.length < 1000 || !body.page.endCursor) return out;
    after = body.page.endCursor;
  }
}

/** Every answering node's own search of instance states (an Error where the search failed). */
export async function instanceStatesByNode(cluster: ChaosCluster): Promise<Map<number, Map<string, string> | Error>> {
  const byNode = new Map<number, Map<string, string> | Error>();
  for (const nodeId of cluster.answeringNodes()) {
    byNode.set(nodeId, await instanceStates(cluster, nodeId).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  }
  return byNode;
}
