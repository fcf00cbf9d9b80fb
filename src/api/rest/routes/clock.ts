import { ZenError } from '../../../errors.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';
import type { RestContext } from '../types.js';

/**
 * Moving the engine's time is for tests of processes with timers: a node allows it only when
 * started with clockControl (Camunda: zeebe.clock.controlled), and refuses it otherwise.
 */
function assertClockControl(ctx: RestContext, what: string): void {
  if (ctx.clockControl) return;
  throw new ZenError(
    'FORBIDDEN',
    `Expected to ${what} the engine clock, but clock control is disabled on this node; start it with --clock-control (ZEN_CLOCK_CONTROL=true) to allow it`,
  );
}

export const clockRoutes: RouteGroup = {
  name: 'clock',
  routes: [
    {
      method: 'PUT',
      path: '/clock',
      operationId: 'pinClock',
      summary: 'Pin internal clock',
      description:
        "Pins the engine clock of every partition at the given instant: it stands still there (it does not advance) " +
        'until pinned again or reset. Everything due by then fires: timers, job deadlines, message TTLs. ' +
        'Needs clockControl; without it the node answers 403.',
      tag: 'Clock',
      camundaDocs: camundaDocs('pin-internal-clock-alpha'),
      body: { contentType: 'application/json', schemaName: 'ClockPinRequest', schema: REQUEST_SCHEMAS.ClockPinRequest, required: true },
      success: { status: 204, description: 'The clock was pinned on partition 1; the other partitions follow within moments.' },
      errors: [400, 403, 500, 503],
      handler: async (ctx, request) => {
        assertClockControl(ctx, 'pin');
        const { timestamp } = request.body as { timestamp: number };
        await ctx.api.pinClock(timestamp);
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/clock/reset',
      operationId: 'resetClock',
      summary: 'Reset internal clock',
      description:
        'Puts the engine clock of every partition back on the system time, ticking in real time. ' +
        'Needs clockControl; without it the node answers 403.',
      tag: 'Clock',
      camundaDocs: camundaDocs('reset-internal-clock-alpha'),
      success: { status: 204, description: 'The clock was reset on partition 1; the other partitions follow within moments.' },
      errors: [403, 500, 503],
      handler: async (ctx) => {
        assertClockControl(ctx, 'reset');
        await ctx.api.resetClock();
        return undefined;
      },
    },
  ],
};
