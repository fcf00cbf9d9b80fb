/**
 * Timer event definitions. Static values are checked now (as Zeebe does for static timer
 * expressions); FEEL values can only be checked when they are evaluated.
 */
import { toExpression } from '../feel/expression.js';
import { isNegativeDuration, parseIsoDateTime, parseIsoDuration } from '../feel/iso8601.js';
import { parseCycle } from '../feel/typed.js';
import type { TimerDefinition } from './types.js';
import type { ErrorCollector } from './error-collector.js';
import { checkedFeel } from './expressions.js';
import { expressionBody, type ModdleElement } from './moddle-element.js';

export interface TimerRules {
  /** Intermediate catch events and interrupting boundary events cannot repeat. */
  readonly allowCycle: boolean;
  /** Says why a cycle is refused, e.g. `an intermediate timer catch event`. */
  readonly cycleRefusal: string;
}

const KINDS = [
  { kind: 'duration', property: 'timeDuration' },
  { kind: 'date', property: 'timeDate' },
  { kind: 'cycle', property: 'timeCycle' },
] as const;

/** A fixed instant for deploy-time checks; only validity matters, never the computed time. */
const VALIDATION_EPOCH_MS = 0;

export function readTimer(
  errors: ErrorCollector,
  elementId: string,
  definition: ModdleElement,
  rules: TimerRules,
): TimerDefinition | null {
  const present = KINDS.flatMap(({ kind, property }) => {
    const body = expressionBody(definition, property);
    return body === undefined ? [] : [{ kind, body }];
  });
  if (present.length !== 1) {
    errors.element(elementId, 'a timer must have exactly one of timeDuration, timeDate or timeCycle');
    return null;
  }
  const { kind, body } = present[0]!;
  if (kind === 'cycle' && !rules.allowCycle) {
    errors.element(elementId, `a timeCycle is not allowed on ${rules.cycleRefusal}; use timeDuration or timeDate`);
    return null;
  }
  if (body.trim() === '') {
    errors.element(elementId, `the timer's time${kind[0]!.toUpperCase()}${kind.slice(1)} must not be empty`);
    return null;
  }
  const expression = toExpression(body);
  if (expression.kind === 'feel') {
    return checkedFeel(errors, elementId, expression.source, `the timer ${kind}`) ? { kind, expression } : null;
  }
  const problem = staticTimerProblem(kind, expression.value.trim());
  if (problem !== null) {
    errors.element(elementId, `invalid timer ${kind} '${expression.value}': ${problem}`);
    return null;
  }
  return { kind, expression: { kind: 'static', value: expression.value.trim() } };
}

function staticTimerProblem(kind: 'duration' | 'date' | 'cycle', value: string): string | null {
  switch (kind) {
    case 'duration': {
      const duration = parseIsoDuration(value);
      if (!duration) return 'expected an ISO-8601 duration such as PT15M, P1DT12H or P1M';
      return isNegativeDuration(duration) ? 'a timer duration must not be negative' : null;
    }
    case 'date':
      return parseIsoDateTime(value) === null
        ? 'expected an ISO-8601 date-time with an offset or zone, such as 2025-01-01T10:00:00Z or 2025-01-01T10:00:00+01:00[Europe/Berlin]'
        : null;
    case 'cycle': {
      const cycle = parseCycle(value, value, VALIDATION_EPOCH_MS);
      return cycle.ok ? null : cycle.message.replace(/^Invalid time cycle '.*?' for expression '.*?': /s, '').replace(/\.$/, '');
    }
  }
}
