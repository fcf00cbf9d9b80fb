/**
 * A joining complex gateway's activation condition. Besides the variables of its scope it sees
 * `activationCount`, the tokens waiting on its incoming flows together, and `activationCounts`,
 * those per incoming flow id (BPMN's per-flow activationCount). They shadow variables of the
 * same names.
 */
import type { ExecutableElement } from '../../model/types.js';
import type { ProcessingContext } from '../processing/context.js';
import { tokensAt } from '../state/join-tokens.js';
import type { ElementInstance } from '../state/types.js';
import { evalBoolean, type Evaluated } from './expressions.js';
import { visibleVariables } from './variables.js';

export function activationHolds(ctx: ProcessingContext, scope: ElementInstance, gateway: ExecutableElement): Evaluated<boolean> {
  const activationCounts: Record<string, number> = {};
  let activationCount = 0;
  for (const flowId of gateway.incoming) {
    const tokens = tokensAt(scope, gateway, flowId);
    activationCounts[flowId] = tokens;
    activationCount += tokens;
  }
  const vars = { ...visibleVariables(ctx, scope.key), activationCount, activationCounts };
  return evalBoolean(gateway.activationCondition!, vars, ctx.now);
}
