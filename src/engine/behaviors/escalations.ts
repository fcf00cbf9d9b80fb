/**
 * An escalation thrown by an intermediate throw or end event: the nearest boundary event that
 * catches its code (behaviors/catching.ts) fires — interrupting or not. Unlike an error, an
 * escalation nobody catches is no incident: the thrower just goes on.
 */
import type { ProcessingContext } from '../processing/context.js';
import type { EscalationValue } from '../records.js';
import type { ElementInstance } from '../state/types.js';
import { findCatch } from './catching.js';
import { triggerEvent } from './event-triggers.js';

/** Throws `code` from `thrower`; true when the thrower still exists afterwards (nothing interrupted it). */
export function throwEscalation(ctx: ProcessingContext, thrower: ElementInstance, code: string): boolean {
  const caught = findCatch(ctx, thrower, 'escalation', code);
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
