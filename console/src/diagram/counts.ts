/**
 * Per-element counts drawn on a diagram as small badges under each element (active, incidents,
 * completed), as Operate draws them. The same numbers are in a table beside the diagram for
 * screen readers, so the badges are hidden from them.
 */
import type { Overlays } from './bpmn-viewer';

export interface ElementCounts {
  readonly elementId: string;
  readonly active: number;
  readonly incidents: number;
  readonly completed: number;
}

export const COUNT_KINDS = ['active', 'incidents', 'completed'] as const;
const OVERLAY_TYPE = 'zen-counts';

export function drawCounts(overlays: Overlays, counts: readonly ElementCounts[], known: ReadonlyMap<string, string>): void {
  overlays.remove({ type: OVERLAY_TYPE });
  for (const item of counts) {
    if (!known.has(item.elementId)) continue;
    const badges = document.createElement('div');
    badges.className = 'element-counts';
    badges.setAttribute('aria-hidden', 'true');
    badges.dataset.elementId = item.elementId;
    for (const kind of COUNT_KINDS) {
      const value = item[kind];
      if (!value) continue;
      const badge = document.createElement('span');
      badge.className = `count ${kind}`;
      badge.dataset.kind = kind;
      badge.title = `${value} ${kind === 'incidents' ? (value === 1 ? 'incident' : 'incidents') : kind}`;
      badge.textContent = String(value);
      badges.append(badge);
    }
    if (badges.childElementCount > 0) overlays.add(item.elementId, OVERLAY_TYPE, { position: { bottom: 10, left: -10 }, html: badges });
  }
}
