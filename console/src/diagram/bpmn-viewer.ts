/**
 * bpmn-js, loaded only by pages that draw a process (a chunk of its own, with its styles), so
 * the shell stays small. Later pages (an instance's diagram) reuse this and counts.ts.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import type { Theme } from '../lib/theme';

export interface Overlays {
  add(elementId: string, type: string, overlay: { position: { top?: number; bottom?: number; left?: number; right?: number }; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}

interface Canvas {
  zoom(level: 'fit-viewport', center?: 'auto'): number;
  addMarker(elementId: string, className: string): void;
  removeMarker(elementId: string, className: string): void;
}

interface EventBus {
  on(event: string, callback: (event: { element: { id: string } }) => void): void;
  off(event: string, callback: (event: { element: { id: string } }) => void): void;
}

interface ElementRegistry {
  getAll(): { id: string; businessObject?: { name?: string; $type?: string } }[];
}

export interface BpmnView {
  readonly overlays: Overlays;
  /** Element id → name (or id) of every flow node in the diagram. */
  readonly names: ReadonlyMap<string, string>;
  /** Element id → BPMN type ('bpmn:ServiceTask'), sequence flows included. */
  readonly types: ReadonlyMap<string, string>;
  /** Adds or removes a CSS class on an element's shape (marks.ts). */
  mark(elementId: string, className: string, on: boolean): void;
  /** Calls back with the id of each element clicked; returns the unsubscribe. */
  onClick(handler: (elementId: string) => void): () => void;
  fit(): void;
  destroy(): void;
}

const COLORS: Record<Theme, { defaultFillColor: string; defaultStrokeColor: string; defaultLabelColor: string }> = {
  light: { defaultFillColor: '#ffffff', defaultStrokeColor: '#22242a', defaultLabelColor: '#22242a' },
  dark: { defaultFillColor: '#1b1f27', defaultStrokeColor: '#d9dee8', defaultLabelColor: '#d9dee8' },
};

export async function showBpmn(container: HTMLElement, xml: string, theme: Theme): Promise<BpmnView> {
  const viewer = new NavigatedViewer({ container, bpmnRenderer: COLORS[theme] });
  try {
    await viewer.importXML(xml);
  } catch (err) {
    viewer.destroy();
    throw err;
  }
  const canvas = viewer.get<Canvas>('canvas');
  canvas.zoom('fit-viewport', 'auto');
  const names = new Map<string, string>();
  const types = new Map<string, string>();
  for (const element of viewer.get<ElementRegistry>('elementRegistry').getAll()) {
    const bo = element.businessObject;
    if (!bo || element.id.endsWith('_label') || bo.$type === 'bpmn:Process' || bo.$type === 'bpmn:Collaboration') continue;
    types.set(element.id, bo.$type ?? '');
    names.set(element.id, bo.name || element.id);
  }
  const eventBus = viewer.get<EventBus>('eventBus');
  return {
    overlays: viewer.get<Overlays>('overlays'),
    names,
    types,
    mark: (elementId, className, on) => (on ? canvas.addMarker(elementId, className) : canvas.removeMarker(elementId, className)),
    onClick: (handler) => {
      const listener = (event: { element: { id: string } }) => handler(event.element.id);
      eventBus.on('element.click', listener);
      return () => eventBus.off('element.click', listener);
    },
    fit: () => canvas.zoom('fit-viewport', 'auto'),
    destroy: () => viewer.destroy(),
  };
}
