/** The part of dmn-js (which ships no types) the decision page uses. */
declare module 'dmn-js/lib/Viewer' {
  export interface DmnJsView {
    readonly type: 'drd' | 'decisionTable' | 'literalExpression' | 'boxedExpression' | string;
    readonly element: { readonly id: string; readonly name?: string };
  }
  export default class DmnViewer {
    constructor(options: { container: HTMLElement });
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    getViews(): DmnJsView[];
    getActiveView(): DmnJsView | undefined;
    /** The viewer of the active view: for the DRD, a diagram-js instance. */
    getActiveViewer(): { get<T = unknown>(service: string): T } | undefined;
    open(view: DmnJsView): Promise<unknown>;
    on(event: string, callback: () => void): void;
    destroy(): void;
  }
}
