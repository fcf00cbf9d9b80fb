/**
 * Marks on a drawn diagram, as CSS classes on element shapes: what runs now, where an incident
 * is, which sequence flows were taken, what the user picked. Each call replaces the previous
 * marks of the same kind, so a live page can hand in its latest answer every time.
 */
import type { BpmnView } from './bpmn-viewer';

export type MarkKind = 'active' | 'incident' | 'taken' | 'picked';

/** Element ids per kind of mark; a kind left out keeps what it had. */
export type DiagramMarks = Partial<Record<MarkKind, readonly string[]>>;

const CLASS: Record<MarkKind, string> = { active: 'zen-active', incident: 'zen-incident', taken: 'zen-taken', picked: 'zen-picked' };

const applied = new WeakMap<BpmnView, Map<MarkKind, Set<string>>>();

export function drawMarks(view: BpmnView, marks: DiagramMarks): void {
  const state = applied.get(view) ?? new Map<MarkKind, Set<string>>();
  applied.set(view, state);
  for (const kind of Object.keys(marks) as MarkKind[]) {
    const want = new Set((marks[kind] ?? []).filter((id) => view.types.has(id)));
    const had = state.get(kind) ?? new Set<string>();
    for (const id of had) if (!want.has(id)) view.mark(id, CLASS[kind], false);
    for (const id of want) if (!had.has(id)) view.mark(id, CLASS[kind], true);
    state.set(kind, want);
  }
}

/** The elements a token can be put on (not flows, not the process itself). */
export function flowNodeIds(view: BpmnView): string[] {
  return [...view.types].filter(([, type]) => type !== 'bpmn:SequenceFlow' && type !== 'bpmn:Association' && !type.startsWith('bpmn:TextAnnotation')).map(([id]) => id);
}
