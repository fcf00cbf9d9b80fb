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

const messageStarts = new WeakMap<ExecutableProcess, ReadonlyMap<string, ExecutableElement>>();

/** The process's message start events by (static) message name. */
export function messageStartEvents(model: ExecutableProcess): ReadonlyMap<string, ExecutableElement> {
  let byName = messageStarts.get(model);
  if (!byName) {
    const found = new Map<string, ExecutableElement>();
    for (const element of model.elements.values()) {
      if (element.type === 'START_EVENT' && element.flowScopeId === model.id && element.message?.name.kind === 'static') found.set(element.message.name.value, element);
    }
    messageStarts.set(model, (byName = found));
  }
  return byName;
}

const signalStarts = new WeakMap<ExecutableProcess, ReadonlyMap<string, ExecutableElement>>();

/** The process's signal start events by (static) signal name. */
export function signalStartEvents(model: ExecutableProcess): ReadonlyMap<string, ExecutableElement> {
  let byName = signalStarts.get(model);
  if (!byName) {
    const found = new Map<string, ExecutableElement>();
    for (const element of model.elements.values()) {
      if (element.type === 'START_EVENT' && element.flowScopeId === model.id && element.signal?.name.kind === 'static') found.set(element.signal.name.value, element);
    }
    signalStarts.set(model, (byName = found));
  }
  return byName;
}
