/**
 * An escalation thrown by an intermediate throw or end event: the nearest boundary event that
 * catches its code (behaviors/catching.ts) fires — interrupting or not. Unlike an error, an
 * escalation nobody catches is no incident: the thrower just goes on.
 */
import type { ProcessingContext } from '../processing/context.js';
import type { EscalationValue } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { throwToCaller } from './called-processes.js';
import { findCatch, isCatch } from './catching.js';
import { triggerEvent } from './event-triggers.js';

/**
 * Throws `code` from `thrower`; true when the thrower goes on now (nothing interrupted it). False
 * also when the escalation went up to a call activity on another partition: the thrower waits
 * for its verdict (behaviors/called-processes.ts).
 */
export function throwEscalation(ctx: ProcessingContext, thrower: ElementInstance, code: string): boolean {
  const found = findCatch(ctx, thrower, 'escalation', code);
  if (found && !isCatch(found)) {
    throwToCaller(ctx, thrower, 'ESCALATION', code, '', {}, -1n, found);
    return false;
  }
  const caught = found;
  const value: EscalationValue = {
    processInstanceKey: thrower.value.processInstanceKey,
    escalationCode: code,
    throwElementId: thrower.value.elementId,
    catchElementId: caught?.boundary.id ?? '',
  };
  ctx.event('ESCALATION', caught ? 'ESCALATED' : 'NOT_ESCALATED', ctx.nextKey(), value);
  if (caught) triggerEvent(ctx, caught.activity, caught.boundary, {});
  return ctx.state.elementInstances.get(thrower.key) !== undefined;
}
