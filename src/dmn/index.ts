/**
 * Zen's DMN engine: read DMN 1.1–1.5 XML, compile a model once (FEEL through src/feel/lang),
 * evaluate decisions and decision services. Deployments compile `.dmn` resources with it
 * (src/model/decisions.ts); the engine evaluates through src/engine/behaviors/decisions.ts.
 */
export { compileDmn, compileDmnXml, type CompileResult, type DmnModel, type CompiledDecision } from './compile-model.js';
export { evaluateDecision, evaluateDecisionService, type DecisionResult, type EvaluatedDecision, type EvaluateOptions } from './evaluate.js';
export type { MatchedRule } from './decision-table.js';
export { readDmn, DmnReadError } from './read.js';
export type { Definitions } from './model.js';
