/**
 * What the state of a harness holds open, one line per thing, with keys named as record lines
 * name them: element instances as a tree (with tokens waiting at joins), then jobs, timers,
 * message subscriptions, buffered messages, signal subscriptions, user tasks, conditional and
 * compensation subscriptions, and incidents.
 */
import type { EngineHarness } from './engine-harness.js';
import { type RecordLines, relative } from './record-lines.js';

export function openState(h: EngineHarness, lines: RecordLines): string[] {
  const n = (key: bigint) => lines.alias(key);
  const out: string[] = [];
  for (const p of h.partitions) {
    const s = p.state;
    const instances = [...s.elementInstances.table.values()];
    const byScope = new Map<bigint, typeof instances>();
    for (const i of instances) byScope.set(i.value.flowScopeKey, [...(byScope.get(i.value.flowScopeKey) ?? []), i]);
    const tree = (scope: bigint, depth: number): void => {
      for (const i of (byScope.get(scope) ?? []).sort((a, b) => (a.key < b.key ? -1 : 1))) {
        const tokens = Object.entries(i.joinTokens).map(([k, v]) => ` join[${k.replace('\u0000', ' ')}]=${v}`).join('');
        out.push(`${'  '.repeat(depth)}${n(i.key)} ${i.value.bpmnElementType} ${i.state}${tokens}`);
        tree(i.key, depth + 1);
      }
    };
    tree(-1n, 0);
    for (const j of s.jobs.table.values()) out.push(`job ${n(j.key)} ${j.value.type} ${j.state} on=${n(j.value.elementInstanceKey)} retries=${j.value.retries}`);
    for (const t of s.timers.table.values()) {
      const on = t.value.elementInstanceKey > 0n ? ` on=${n(t.value.elementInstanceKey)}` : '';
      out.push(`timer ${n(t.key)} target=${t.value.targetElementId} due=${relative(t.value.dueDate - h.now)}${on}`);
    }
    for (const m of s.processMessageSubscriptions.table.values()) out.push(`message subscription ${m.value.messageName} key=${m.value.correlationKey} ${m.state} on=${n(m.value.elementInstanceKey)}`);
    for (const m of s.messages.table.values()) out.push(`message ${n(m.key)} ${m.value.name} key=${m.value.correlationKey} expires=${relative(m.value.deadline - h.now)}`);
    for (const g of s.signals.subscriptions.values()) out.push(`signal subscription ${g.signalName} on=${n(g.elementInstanceKey)}`);
    for (const t of s.userTasks.all()) out.push(`user task ${n(t.key)} ${t.state} on=${n(t.value.elementInstanceKey)}${t.value.assignee ? ` assignee=${t.value.assignee}` : ''}`);
    for (const c of s.conditionals.table.values()) out.push(`conditional subscription ${c.value.condition} on=${n(c.value.elementInstanceKey)}`);
    for (const c of s.compensations.table.values()) {
      const v = c.value;
      const handler = v.compensationHandlerInstanceKey > 0n ? ` handler=${n(v.compensationHandlerInstanceKey)}` : '';
      out.push(`compensation subscription ${v.compensableActivityId}${v.throwEventId ? ` thrown by ${v.throwEventId}` : ''}${handler}`);
    }
    for (const i of s.incidents.table.values()) out.push(`incident ${n(i.key)} ${i.value.errorType} on=${n(i.value.elementInstanceKey)}`);
  }
  return out.length > 0 ? out : ['(nothing open)'];
}
