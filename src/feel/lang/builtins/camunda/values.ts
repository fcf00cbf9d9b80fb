/**
 * Camunda's null handling and assertions: `is defined`, `get or else`, `assert`, and `fromAi`
 * (which only tags a value for the AI agent connector and returns it unchanged).
 */
import { FeelFailure } from '../../compiler/run.js';
import { builtin } from '../define.js';
import type { FeelFunction } from '../../values/function.js';

const NOT_FULFILLED = 'The condition is not fulfilled';

/**
 * FEEL-Scala fails the whole evaluation here, not just the call: Zeebe raises an incident
 * instead of carrying on with null.
 */
function failAssertion(cause: unknown): never {
  throw new FeelFailure('FUNCTION_INVOCATION_FAILURE', `Failed to invoke function 'assert': ${typeof cause === 'string' ? cause : NOT_FULFILLED}`);
}

export function valueFunctions(): FeelFunction[] {
  return [
    // A missing variable is null in FEEL-Scala 1.17+, so since Camunda 8.3 both are "not defined".
    builtin('is defined', [['value: Any', ([value]) => value !== null]], { nulls: true }),
    builtin('get or else', [['value: Any, default: Any', ([value, fallback]) => value ?? fallback]], { nulls: true }),
    builtin(
      'assert',
      [
        ['value: Any, condition: Any', ([value, condition]) => (condition === true ? value : failAssertion(null))],
        ['value: Any, condition: Any, cause: Any', ([value, condition, cause]) => (condition === true ? value : failAssertion(cause))],
      ],
      { nulls: true },
    ),
    builtin('fromAi', [['value: Any, description?: string, type?: string, schema?: context, options?: context', ([value]) => value]], { nulls: true }),
  ];
}
