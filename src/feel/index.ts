export {
  type Expression,
  staticExpression,
  toExpression,
  toFeelExpression,
  expressionText,
} from './expression.js';
export { evaluate, type FeelResult, type FeelWarning } from './evaluate.js';
export {
  evaluateBoolean,
  evaluateString,
  evaluateCorrelationKey,
  evaluateInteger,
  evaluateStringList,
  evaluateDuration,
  evaluateDateTime,
  evaluateOptionalDateTime,
  evaluateCycle,
  parseCsvList,
  type Typed,
  type TimerCycle,
} from './typed.js';
export { applyMappings, type MappingOptions, type MappingResult } from './mappings.js';
export { checkFeelSyntax } from './syntax.js';
export { resultTypeOf, toJsonValue, type FeelResultType } from './feel-values.js';
export {
  parseIsoDuration,
  parseIsoDateTime,
  parseRepeatingInterval,
  addIsoDuration,
  isoDurationToMs,
  isNegativeDuration,
  isZeroDuration,
  type IsoDuration,
  type RepeatingInterval,
} from './iso8601.js';
