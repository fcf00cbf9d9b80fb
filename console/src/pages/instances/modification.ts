/**
 * What the Modify panel holds for each element picked to activate, and how it becomes Camunda's
 * modification instruction: one activation per element, each with its variables (a JSON object
 * created in the scope the user chose) and, when asked, the running scope instance to activate
 * it in; and the element instances to terminate. No DOM here, so it is tested without a browser.
 */

/** Camunda's modification instruction, as `POST /v2/process-instances/{key}/modification` takes it. */
export interface ModificationInstruction {
  readonly activateInstructions: readonly {
    readonly elementId: string;
    readonly ancestorElementInstanceKey?: string;
    readonly variableInstructions?: readonly { readonly scopeId: string; readonly variables: Record<string, unknown> }[];
  }[];
  readonly terminateInstructions: readonly { readonly elementInstanceKey: string }[];
}

/** What is needed here of a running element instance. */
interface Running {
  readonly elementId: string;
  readonly elementInstanceKey: string;
}

export interface ActivationDraft {
  /** The variables as typed: a JSON object, or nothing. */
  readonly variables: string;
  /** Where they are created: the element's id (its own scope), an enclosing sub-process's id, or '' (the process instance). */
  readonly scopeId: string;
  /** The running instance of an enclosing sub-process to activate in; '' lets the engine choose (or create one). */
  readonly ancestorKey: string;
}

export const newDraft = (elementId: string): ActivationDraft => ({ variables: '', scopeId: elementId, ancestorKey: '' });

/** A variables text as the object the API takes: nothing when blank, else a JSON object. */
export function parseVariableObject(text: string): { value: Record<string, unknown> | null } | { error: string } {
  if (!text.trim()) return { value: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `Not JSON: ${(err as Error).message}. Write an object such as {"amount": 100, "note": "text in quotes"}.` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `Variables are a JSON object of names and values, such as {"amount": 100}, not ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.` };
  }
  return { value: value as Record<string, unknown> };
}

export type BuiltModification = { readonly instruction: ModificationInstruction } | { readonly errors: ReadonlyMap<string, string> };

/** The instruction for the picked elements (in order) and the element instances to terminate, or what is wrong per element. */
export function buildModification(picked: readonly string[], drafts: ReadonlyMap<string, ActivationDraft>, terminate: readonly string[]): BuiltModification {
  const errors = new Map<string, string>();
  const activateInstructions = picked.map((elementId) => {
    const draft = drafts.get(elementId) ?? newDraft(elementId);
    const parsed = parseVariableObject(draft.variables);
    if ('error' in parsed) errors.set(elementId, parsed.error);
    const variables = 'value' in parsed ? parsed.value : null;
    return {
      elementId,
      ...(draft.ancestorKey ? { ancestorElementInstanceKey: draft.ancestorKey } : {}),
      ...(variables ? { variableInstructions: [{ scopeId: draft.scopeId, variables }] } : {}),
    };
  });
  if (errors.size > 0) return { errors };
  return { instruction: { activateInstructions, terminateInstructions: terminate.map((elementInstanceKey) => ({ elementInstanceKey })) } };
}

/**
 * Shapes a token cannot be put on by hand: start and boundary events (the node refuses them, as
 * Zeebe does: activate the scope or the task instead) and what is no flow node at all.
 */
const NOT_ACTIVATABLE = new Set(['bpmn:StartEvent', 'bpmn:BoundaryEvent', 'bpmn:Lane', 'bpmn:Participant', 'bpmn:Group', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

export const activatable = (bpmnType: string | undefined): boolean => bpmnType !== undefined && !NOT_ACTIVATABLE.has(bpmnType);

/** Picking an element that is picked already drops it (a second click on the diagram). */
export const togglePick = (picked: readonly string[], elementId: string): string[] =>
  picked.includes(elementId) ? picked.filter((id) => id !== elementId) : [...picked, elementId];

/**
 * The element's enclosing sub-processes, innermost first, from a map of each element to the
 * sub-process it sits in (null at the process level).
 */
export function enclosingScopes(elementId: string, parents: ReadonlyMap<string, string | null>): string[] {
  const scopes: string[] = [];
  for (let id = parents.get(elementId) ?? null; id !== null && !scopes.includes(id); id = parents.get(id) ?? null) scopes.push(id);
  return scopes;
}

/** The running instances of the element's enclosing sub-processes: where an activation can be put. */
export function ancestorCandidates<T extends Running>(elementId: string, parents: ReadonlyMap<string, string | null>, running: readonly T[]): T[] {
  const scopes = enclosingScopes(elementId, parents);
  return running.filter((e) => scopes.includes(e.elementId));
}
