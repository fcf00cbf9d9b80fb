// bpmn-moddle 10 ships typings only for its schema (`bpmn-moddle/types`), not for its entry
// point; this declares the little of it we call.
declare module 'bpmn-moddle' {
  export interface ModdleWarning {
    readonly message: string;
    readonly element?: { readonly $type: string; readonly id?: string };
    readonly property?: string;
    readonly value?: unknown;
    readonly error?: Error;
  }

  export interface ParseResult {
    readonly rootElement: unknown;
    readonly elementsById: Record<string, unknown>;
    readonly references: readonly unknown[];
    readonly warnings: readonly ModdleWarning[];
  }

  export interface BpmnModdleInstance {
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
  }

  export function BpmnModdle(
    packages?: Record<string, unknown>,
    options?: Record<string, unknown>,
  ): BpmnModdleInstance;
}
