/**
 * dmn-js, loaded only by the decision page (a chunk of its own, with its styles): the decision's
 * own view (its table or literal expression) rather than the requirements graph, and the rules
 * an evaluation matched marked in the table.
 */
import DmnViewer, { type DmnJsView } from 'dmn-js/lib/Viewer';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn.css';

export const MATCHED_CLASS = 'zen-matched-rule';

export interface DmnView {
  /** 'decisionTable', 'literalExpression' or 'drd' (when the decision has no view of its own). */
  readonly kind: string;
  /** Marks the rows of these rule ids, and unmarks the others. */
  highlight(ruleIds: readonly string[]): void;
  destroy(): void;
}

export async function showDmn(container: HTMLElement, xml: string, decisionId: string): Promise<DmnView> {
  const viewer = new DmnViewer({ container });
  try {
    await viewer.importXML(xml);
    const own = viewer.getViews().find((view: DmnJsView) => view.type !== 'drd' && view.element.id === decisionId);
    if (own) await viewer.open(own);
  } catch (err) {
    viewer.destroy();
    throw err;
  }
  labelTable(container);
  return {
    kind: viewer.getActiveView()?.type ?? 'drd',
    highlight: (ruleIds) => markRules(container, new Set(ruleIds)),
    destroy: () => viewer.destroy(),
  };
}

function markRules(container: HTMLElement, ruleIds: ReadonlySet<string>): void {
  for (const cell of container.querySelectorAll<HTMLElement>('[data-row-id]')) {
    const matched = ruleIds.has(cell.dataset.rowId ?? '');
    cell.classList.toggle(MATCHED_CLASS, matched);
    cell.closest('tr')?.classList.toggle(MATCHED_CLASS, matched);
  }
}

/**
 * What dmn-js leaves out for keyboard and screen reader users: a text in the rule number
 * column's header, and a way to scroll the table (wider than a phone) from the keyboard.
 */
function labelTable(container: HTMLElement): void {
  for (const header of container.querySelectorAll<HTMLElement>('th.index-column')) {
    if (header.textContent?.trim()) continue;
    header.textContent = '#';
    header.title = 'Rule number';
  }
  for (const scroller of container.querySelectorAll<HTMLElement>('.tjs-table-container')) {
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', 'Decision table rules');
  }
}
