/**
 * A DMN model compiled once: every FEEL text and boxed expression to closures, the requirements
 * graph resolved by id and checked for cycles. A model with a cycle or a dangling requirement is
 * rejected; other compile problems are listed in `errors` and evaluate to null + warning.
 */
import type { FeelFunction } from '../feel/lang/values/function.js';
import { compileBoxed, compileFunction } from './boxed.js';
import { compileDecisionTable, type TableEvaluator } from './decision-table.js';
import type { CompileEnv, Evaluator, Vars } from './feel.js';
import type { Decision, DecisionService, Definitions } from './model.js';
import { modelNames } from './names.js';
import { readDmn } from './read.js';
import { TypeRegistry, type DmnType } from './types.js';

export interface CompiledDecision {
  readonly id: string;
  readonly name: string;
  readonly type: DmnType | undefined;
  readonly decisionType: string;
  readonly requiredDecisions: readonly string[];
  readonly requiredInputs: readonly string[];
  readonly requiredKnowledge: readonly string[];
  readonly body: Evaluator;
  /** Set when the body is a decision table, to report matched rules and inputs. */
  readonly table?: TableEvaluator;
}

export interface DmnModel {
  readonly definitions: Definitions;
  readonly decisions: ReadonlyMap<string, CompiledDecision>;
  readonly inputData: ReadonlyMap<string, { readonly id: string; readonly name: string; readonly type: DmnType | undefined }>;
  /** Business knowledge models as FEEL functions, by id. */
  readonly bkms: ReadonlyMap<string, { readonly name: string; readonly fn: FeelFunction }>;
  readonly services: ReadonlyMap<string, DecisionService & { readonly type: DmnType | undefined }>;
  /** Problems that do not stop the model from being used (a FEEL text that does not compile…). */
  readonly errors: readonly string[];
}

export type CompileResult = { readonly ok: true; readonly model: DmnModel } | { readonly ok: false; readonly message: string };

const DECISION_TYPES: Record<string, string> = {
  literal: 'LITERAL_EXPRESSION',
  decisionTable: 'DECISION_TABLE',
  context: 'CONTEXT',
  list: 'LIST',
  relation: 'RELATION',
  invocation: 'INVOCATION',
  function: 'FUNCTION_DEFINITION',
  conditional: 'CONDITIONAL',
  for: 'FOR',
  every: 'EVERY',
  some: 'SOME',
  filter: 'FILTER',
};

/** `#id` or `namespace#id` to the id, when it is this model's. */
function localId(href: string, namespace: string): string | null {
  const hash = href.indexOf('#');
  if (hash < 0) return href;
  const ns = href.slice(0, hash);
  return ns === '' || ns === namespace ? href.slice(hash + 1) : null;
}

export function compileDmnXml(xml: string): CompileResult {
  let defs: Definitions;
  try {
    defs = readDmn(xml);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return compileDmn(defs);
}

export function compileDmn(defs: Definitions): CompileResult {
  const types = new TypeRegistry(defs.itemDefinitions);
  const errors: string[] = [];
  const env: CompileEnv = { knownNames: modelNames(defs), types, errors };
  const ids = new Map<string, string>();
  for (const e of [...defs.decisions, ...defs.inputData, ...defs.bkms, ...defs.decisionServices]) ids.set(e.id, e.name);

  const problems: string[] = [];
  const resolve = (href: string, owner: string, what: string, exists: (id: string) => boolean): string => {
    const id = localId(href, defs.namespace);
    if (id === null) problems.push(`${owner} requires '${href}' from another model (imports are not supported yet)`);
    else if (!exists(id)) problems.push(`${owner} requires ${what} '${href}', which is not in the model`);
    return id ?? href;
  };
  const decisionIds = new Set(defs.decisions.map((d) => d.id));
  const inputIds = new Set(defs.inputData.map((d) => d.id));
  const knowledgeIds = new Set([...defs.bkms.map((b) => b.id), ...defs.decisionServices.map((s) => s.id)]);

  const decisions = new Map<string, CompiledDecision>();
  for (const d of defs.decisions) {
    const where = `decision '${d.name}' (${d.id})`;
    const requiredDecisions = d.requiredDecisions.map((h) => resolve(h, where, 'decision', (id) => decisionIds.has(id)));
    const requiredInputs = d.requiredInputs.map((h) => resolve(h, where, 'input data', (id) => inputIds.has(id)));
    const requiredKnowledge = d.requiredKnowledge.map((h) => resolve(h, where, 'knowledge', (id) => knowledgeIds.has(id)));
    const table = d.expression?.kind === 'decisionTable' ? compileDecisionTable(d.expression, env, where) : undefined;
    const body: Evaluator = table
      ? (vars, run) => table(vars, run).value
      : d.expression
        ? compileBoxed(d.expression, env, where)
        : (_vars, run) => run.warn('MISSING_EXPRESSION', `${where} has no expression`);
    decisions.set(d.id, {
      id: d.id,
      name: d.name,
      type: types.resolve(d.typeRef),
      decisionType: d.expression ? (DECISION_TYPES[d.expression.kind] ?? 'UNKNOWN') : 'NONE',
      requiredDecisions,
      requiredInputs,
      requiredKnowledge,
      body,
      ...(table ? { table } : {}),
    });
  }
  const cycle = findCycle(defs.decisions, decisions);
  if (cycle !== null) problems.unshift(`the decision requirements graph has a cycle: ${cycle.join(' -> ')}`);
  for (const s of defs.decisionServices) {
    for (const h of [...s.outputDecisions, ...s.encapsulatedDecisions, ...s.inputDecisions]) resolve(h, `decision service '${s.name}' (${s.id})`, 'decision', (id) => decisionIds.has(id));
    for (const h of s.inputData) resolve(h, `decision service '${s.name}' (${s.id})`, 'input data', (id) => inputIds.has(id));
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };

  // A BKM's closure holds the knowledge it requires; closures are filled after every function
  // exists, so BKMs may require each other in any order (and themselves, for recursion).
  const bkms = new Map<string, { name: string; fn: FeelFunction }>();
  const closures = new Map<string, Vars>();
  for (const b of defs.bkms) {
    const closure: Vars = {};
    closures.set(b.id, closure);
    const where = `business knowledge model '${b.name}' (${b.id})`;
    const logic = b.logic ?? { kind: 'function' as const, functionKind: 'FEEL' as const, parameters: [] };
    const resultType = types.resolve(b.typeRef);
    const make = compileFunction(resultType && !logic.typeRef ? { ...logic, typeRef: b.typeRef! } : logic, env, where, b.name);
    bkms.set(b.id, { name: b.name, fn: make(closure) });
  }
  for (const b of defs.bkms) {
    const closure = closures.get(b.id)!;
    closure[b.name] = bkms.get(b.id)!.fn;
    for (const h of b.requiredKnowledge) {
      const id = localId(h, defs.namespace);
      const required = id === null ? undefined : bkms.get(id);
      if (required) closure[required.name] = required.fn;
    }
  }

  return {
    ok: true,
    model: {
      definitions: defs,
      decisions,
      inputData: new Map(defs.inputData.map((i) => [i.id, { id: i.id, name: i.name, type: types.resolve(i.typeRef) }])),
      bkms,
      services: new Map(defs.decisionServices.map((s) => [s.id, { ...s, type: types.resolve(s.typeRef) }])),
      errors: [...errors, ...types.errors],
    },
  };
}

function findCycle(list: readonly Decision[], decisions: ReadonlyMap<string, CompiledDecision>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    const s = state.get(id);
    if (s === 'done') return null;
    if (s === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of decisions.get(id)?.requiredDecisions ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const d of list) {
    const found = visit(d.id);
    if (found) return found;
  }
  return null;
}
