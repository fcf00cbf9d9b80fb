/**
 * dmn-js, loaded only by the decision page (a chunk of its own, with its styles): the decision's
 * own view (its table or literal expression), with the rules an evaluation matched marked in the
 * table; or the requirements diagram (DRD) of the whole DMN resource, the decision shown marked,
 * whose decisions open their own pages instead of dmn-js's view of them.
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

export interface DrdView {
  destroy(): void;
}

/** The parts of diagram-js the DRD needs (dmn-js ships no types). */
interface DrdElement {
  readonly id: string;
  readonly businessObject?: { readonly $type: string; readonly id: string; readonly name?: string };
}
interface EventBus {
  on(event: string, priority: number, callback: (event: { element: DrdElement }) => unknown): void;
}
interface Overlays {
  get(search: { element: DrdElement }): { html: HTMLElement }[];
}

export const CURRENT_CLASS = 'zen-current-decision';

/**
 * The DRD, fitted to its box. A click on a decision, or its drill-down button (the keyboard's
 * way in), calls `onOpen` with the decision's id; dmn-js's own drill-down into the table stays
 * unused, as the decision's page is where its table and evaluations are.
 */
export async function showRequirements(container: HTMLElement, xml: string, decisionId: string, onOpen: (decisionId: string) => void): Promise<DrdView> {
  const viewer = new DmnViewer({ container });
  try {
    await viewer.importXML(xml);
    const drd = viewer.getViews().find((view: DmnJsView) => view.type === 'drd');
    if (!drd) throw new Error('the DMN resource has no diagram of its requirements (DMNDI)');
    if (viewer.getActiveView()?.type !== 'drd') await viewer.open(drd);
  } catch (err) {
    viewer.destroy();
    throw err;
  }
  const diagram = viewer.getActiveViewer()!;
  const decisionOf = (element: DrdElement) => (element.businessObject?.$type === 'dmn:Decision' ? element.businessObject : undefined);
  const events = diagram.get<EventBus>('eventBus');
  events.on('element.click', 1500, ({ element }) => {
    const decision = decisionOf(element);
    if (decision) onOpen(decision.id);
  });
  events.on('drillDown.click', 1500, ({ element }) => {
    const decision = decisionOf(element);
    if (decision) onOpen(decision.id);
    return false;
  });
  const registry = diagram.get<{ filter(fn: (e: DrdElement) => boolean): DrdElement[] }>('elementRegistry');
  const overlays = diagram.get<Overlays>('overlays');
  const canvas = diagram.get<{ addMarker(id: string, marker: string): void; zoom(level: string, center: string): void }>('canvas');
  for (const element of registry.filter((e) => decisionOf(e) !== undefined)) {
    const decision = decisionOf(element)!;
    // dmn-js names every drill-down button alike ("Open decision table"): name the decision.
    for (const overlay of overlays.get({ element })) {
      const button = overlay.html.querySelector('button');
      if (button) button.setAttribute('aria-label', `Open decision ${decision.name || decision.id}`);
    }
    if (decision.id === decisionId) canvas.addMarker(element.id, CURRENT_CLASS);
  }
  canvas.zoom('fit-viewport', 'auto');
  return { destroy: () => viewer.destroy() };
}
