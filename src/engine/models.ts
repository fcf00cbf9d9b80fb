import { compileDmnXml, type DmnModel } from '../dmn/index.js';
import type { ExecutableElement, ExecutableProcess } from '../model/types.js';

/**
 * Compiled processes by definition key. Compiling is asynchronous (the XML parser is), so
 * the partition compiles every stored definition before it processes or applies anything
 * that refers to it; the engine then reads models synchronously.
 */
export class ModelCache {
  private readonly byKey = new Map<bigint, ExecutableProcess>();

  get(processDefinitionKey: bigint): ExecutableProcess {
    const model = this.byKey.get(processDefinitionKey);
    if (!model) throw new Error(`Process definition ${processDefinitionKey} is not compiled`);
    return model;
  }

  has(processDefinitionKey: bigint): boolean {
    return this.byKey.has(processDefinitionKey);
  }

  put(processDefinitionKey: bigint, model: ExecutableProcess): void {
    this.byKey.set(processDefinitionKey, model);
  }

  private readonly decisionModels = new Map<bigint, DmnModel>();

  /**
   * The compiled DMN model of a decision requirements key. DMN compiles synchronously, so a
   * model missing after a restart is compiled here from the stored XML, on first use.
   */
  decisionModel(decisionRequirementsKey: bigint, xml: string): DmnModel {
    let model = this.decisionModels.get(decisionRequirementsKey);
    if (!model) {
      const compiled = compileDmnXml(xml);
      if (!compiled.ok) throw new Error(`Stored decision requirements ${decisionRequirementsKey} no longer compile: ${compiled.message}`);
      this.decisionModels.set(decisionRequirementsKey, (model = compiled.model));
    }
    return model;
  }

  putDecisionModel(decisionRequirementsKey: bigint, model: DmnModel): void {
    this.decisionModels.set(decisionRequirementsKey, model);
  }

  /** Deleted decision requirements are never evaluated again (their key is not reused). */
  dropDecisionModel(decisionRequirementsKey: bigint): void {
    this.decisionModels.delete(decisionRequirementsKey);
  }
}

/**
 * The element an instance runs. A multi-instance activity is two elements under one id: the
 * body (what its record calls MULTI_INSTANCE_BODY) and the inner activity, run per item.
 */
export function elementOf(model: ExecutableProcess, value: { readonly elementId: string; readonly bpmnElementType: string }): ExecutableElement {
  const element = model.elements.get(value.elementId);
  if (!element) throw new Error(`Element '${value.elementId}' is not in process '${model.id}'`);
  return element.innerActivity !== null && value.bpmnElementType !== 'MULTI_INSTANCE_BODY' ? element.innerActivity : element;
}

type NamedStart = 'message' | 'signal';
const startsByKind: Record<NamedStart, WeakMap<ExecutableProcess, ReadonlyMap<string, ExecutableElement>>> = { message: new WeakMap(), signal: new WeakMap() };

/** The process's message or signal start events by their (static) name, computed once per model. */
export function namedStartEvents(model: ExecutableProcess, kind: NamedStart): ReadonlyMap<string, ExecutableElement> {
  let byName = startsByKind[kind].get(model);
  if (!byName) {
    const found = new Map<string, ExecutableElement>();
    for (const element of model.elements.values()) {
      const name = kind === 'message' ? element.message?.name : element.signal?.name;
      if (element.type === 'START_EVENT' && element.flowScopeId === model.id && name?.kind === 'static') found.set(name.value, element);
    }
    startsByKind[kind].set(model, (byName = found));
  }
  return byName;
}
