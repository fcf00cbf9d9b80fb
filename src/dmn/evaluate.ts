/**
 * Evaluating decisions and decision services of a compiled model. Required decisions are
 * evaluated first (each once per evaluation), input data come from the caller by name and are
 * coerced to their typeRef. Evaluation never throws: a failure is a null value plus a warning.
 */
import { Run, type FeelWarning } from '../feel/lang/compiler/run.js';
import { FeelContext } from '../feel/lang/values/context.js';
import { fromJs } from '../feel/lang/values/convert.js';
import { FeelFunction } from '../feel/lang/values/function.js';
import type { Value } from '../feel/lang/values/value.js';
import type { DmnModel, CompiledDecision } from './compile-model.js';
import type { MatchedRule, TableEvaluation } from './decision-table.js';
import type { Vars } from './feel.js';
import { coerce } from './types.js';

export interface EvaluatedDecision {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly decisionType: string;
  readonly value: Value;
  readonly inputs: TableEvaluation['inputs'];
  readonly matchedRules: readonly MatchedRule[];
}

export interface DecisionResult {
  readonly value: Value;
  /** In evaluation order: required decisions first, the requested one last. */
  readonly evaluatedDecisions: readonly EvaluatedDecision[];
  readonly warnings: readonly FeelWarning[];
  /** A decision service's output decisions by name (its value is one of them, or a context of all). */
  readonly outputs?: ReadonlyMap<string, Value>;
  /** Set when the decision or service could not be evaluated at all (unknown id…). */
  readonly failure?: string;
}

export interface EvaluateOptions {
  /** Epoch milliseconds for now() and today(); evaluation never reads the wall clock. */
  readonly nowMs?: number;
}

interface State {
  readonly model: DmnModel;
  readonly run: Run;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Decision values known before evaluation (a decision service's input decisions). */
  readonly given: ReadonlyMap<string, Value>;
  readonly done: Map<string, Value>;
  readonly trace: EvaluatedDecision[];
  readonly depth: number;
}

function findDecision(model: DmnModel, ref: string): CompiledDecision | undefined {
  return model.decisions.get(ref) ?? [...model.decisions.values()].find((d) => d.name === ref);
}

function inputValue(state: State, id: string): Value {
  const input = state.model.inputData.get(id);
  if (input === undefined) return null;
  const raw = Object.prototype.hasOwnProperty.call(state.inputs, input.name) ? fromJs(state.inputs[input.name]) : null;
  return coerce(raw, input.type, state.run, `input data '${input.name}'`);
}

function decisionValue(state: State, decision: CompiledDecision): Value {
  const given = state.given.get(decision.id);
  if (given !== undefined) return given;
  const done = state.done.get(decision.id);
  if (done !== undefined) return done;
  const vars: Vars = {};
  for (const id of decision.requiredDecisions) {
    const required = state.model.decisions.get(id);
    if (required) vars[required.name] = decisionValue(state, required);
  }
  for (const id of decision.requiredInputs) {
    const input = state.model.inputData.get(id);
    if (input) vars[input.name] = inputValue(state, id);
  }
  for (const id of decision.requiredKnowledge) {
    const bkm = state.model.bkms.get(id);
    if (bkm) vars[bkm.name] = bkm.fn;
    const service = state.model.services.get(id);
    if (service) vars[service.name] = serviceFunction(state, id);
  }
  let table: TableEvaluation | undefined;
  let value: Value;
  if (decision.table) {
    table = decision.table(vars, state.run);
    value = table.value;
  } else value = decision.body(vars, state.run);
  value = coerce(value, decision.type, state.run, `decision '${decision.name}'`);
  state.done.set(decision.id, value);
  state.trace.push({
    decisionId: decision.id,
    decisionName: decision.name,
    decisionType: decision.decisionType,
    value,
    inputs: table?.inputs ?? [],
    matchedRules: table?.matchedRules ?? [],
  });
  return value;
}

/** A decision service as a FEEL function: parameters are its input decisions, then input data. */
function serviceFunction(state: State, serviceId: string): FeelFunction {
  const service = state.model.services.get(serviceId)!;
    // Input data first, then input decisions: the order the DMN TCK (0085) invokes services with.
  const names = [...service.inputData.map((h) => state.model.inputData.get(h.slice(h.indexOf('#') + 1))?.name ?? h), ...service.inputDecisions.map((h) => findDecision(state.model, h.slice(h.indexOf('#') + 1))?.name ?? h)];
  return new FeelFunction(service.name, [
    {
      params: names.map((name) => ({ name })),
      invoke: (args, run) => {
        const inputs: Record<string, Value> = {};
        names.forEach((n, i) => (inputs[n] = args[i] ?? null));
        return runService(state.model, serviceId, inputs, run, state.depth + 1, true).value;
      },
    },
  ]);
}

/**
 * `strict` (a FEEL invocation): an argument of the wrong type fails the call, as the TCK expects
 * (0085 case 007), instead of evaluating the service with a null input.
 */
function runService(model: DmnModel, serviceId: string, inputs: Readonly<Record<string, unknown>>, run: Run, depth: number, strict = false): { value: Value; trace: EvaluatedDecision[]; done: ReadonlyMap<string, Value> } {
  const service = model.services.get(serviceId)!;
  const given = new Map<string, Value>();
  for (const h of service.inputDecisions) {
    const d = findDecision(model, h.slice(h.indexOf('#') + 1));
    if (d === undefined) continue;
    const raw = Object.prototype.hasOwnProperty.call(inputs, d.name) ? fromJs(inputs[d.name]) : null;
    const v = coerce(raw, d.type, run, `input decision '${d.name}'`);
    if (strict && v === null && raw !== null) return { value: null, trace: [], done: new Map() };
    given.set(d.id, v);
  }
  if (strict) {
    for (const h of service.inputData) {
      const input = model.inputData.get(h.slice(h.indexOf('#') + 1));
      const raw = input && Object.prototype.hasOwnProperty.call(inputs, input.name) ? fromJs(inputs[input.name]) : null;
      if (input && raw !== null && coerce(raw, input.type, run, `input data '${input.name}'`) === null) return { value: null, trace: [], done: new Map() };
    }
  }
  const state: State = { model, run, inputs, given, done: new Map(), trace: [], depth };
  if (depth > 64) return { value: run.warn('EVALUATION_FAILURE', `decision service '${service.name}': nested too deeply`), trace: [], done: state.done };
  const outputs = service.outputDecisions.map((h) => findDecision(model, h.slice(h.indexOf('#') + 1))).filter((d): d is CompiledDecision => d !== undefined);
  const values = outputs.map((d) => [d.name, decisionValue(state, d)] as [string, Value]);
  const value = values.length === 1 ? values[0]![1] : new FeelContext(values);
  return { value: coerce(value, service.type, run, `decision service '${service.name}'`), trace: state.trace, done: state.done };
}

function guarded(run: Run, body: () => DecisionResult): DecisionResult {
  try {
    return body();
  } catch (error) {
    // A defect or runaway recursion: the evaluation fails, the caller does not crash.
    const message = `evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
    run.warn('EVALUATION_FAILURE', message);
    return { value: null, evaluatedDecisions: [], warnings: run.warnings, failure: message };
  }
}

/** Evaluates a decision (by id, or by name) with its requirements; inputs are keyed by input data name. */
export function evaluateDecision(model: DmnModel, decisionId: string, inputs: Readonly<Record<string, unknown>>, options: EvaluateOptions = {}): DecisionResult {
  const run = new Run(options.nowMs ?? 0);
  return guarded(run, () => {
    const decision = findDecision(model, decisionId);
    if (decision === undefined) {
      const failure = `no decision '${decisionId}' in model '${model.definitions.name}'`;
      return { value: null, evaluatedDecisions: [], warnings: [], failure };
    }
    const state: State = { model, run, inputs, given: new Map(), done: new Map(), trace: [], depth: 0 };
    const value = decisionValue(state, decision);
    return { value, evaluatedDecisions: state.trace, warnings: run.warnings };
  });
}

/** Evaluates a decision service; inputs are keyed by the names of its input decisions and input data. */
export function evaluateDecisionService(model: DmnModel, serviceId: string, inputs: Readonly<Record<string, unknown>>, options: EvaluateOptions = {}): DecisionResult {
  const run = new Run(options.nowMs ?? 0);
  return guarded(run, () => {
    const service = model.services.get(serviceId) ?? [...model.services.values()].find((s) => s.name === serviceId);
    if (service === undefined) return { value: null, evaluatedDecisions: [], warnings: [], failure: `no decision service '${serviceId}' in model '${model.definitions.name}'` };
    const { value, trace, done } = runService(model, service.id, inputs, run, 0);
    return { value, outputs: new Map([...done].filter(([id]) => service.outputDecisions.some((h) => h.endsWith(`#${id}`) || h === id)).map(([id, v]) => [model.decisions.get(id)!.name, v])), evaluatedDecisions: trace, warnings: run.warnings };
  });
}
