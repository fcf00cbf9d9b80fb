/** `GET /v2/changes`: the change feed (change-feed.ts), a Zen extension Camunda's API does not have. */
import type { RouteGroup } from '../route.js';

export const changeRoutes: RouteGroup = {
  name: 'changes',
  routes: [
    {
      method: 'GET',
      path: '/changes',
      operationId: 'streamChanges',
      summary: 'Stream change notices',
      description:
        'Zen extension. A text/event-stream (server-sent events) that tells the client when the engine state this ' +
        'node can see has moved, so it can read again instead of polling on a timer. It starts with `retry:` and an ' +
        '`open` event; then a `change` event whenever a partition log this node replicates advanced or the topology ' +
        'changed (sampled four times a second: at most one event per 250 ms), and a `: keep-alive` comment every 15 s. ' +
        'Each event\'s data is JSON: `{reason: "open" | "advanced" | "tick", partitions: [ids that moved], topology: ' +
        'boolean, positions: {partitionId: logIndex}, unobserved: [ids]}`. Partitions this node keeps no replica of ' +
        '(in a cluster whose replication factor is below its size) cannot be seen to move: they are listed in ' +
        '`unobserved`, and a `tick` event names them every 10 s. The notice carries no data: read what you show ' +
        'again. Same credentials as every /v2 call; at most 64 streams per node (429 beyond).',
      tag: 'Change feed',
      success: { status: 200, description: 'The event stream; it stays open until the client or the node closes it.', contentType: 'text/event-stream' },
      errors: [429],
      handler: async (ctx, request, reply) => {
        await ctx.changes.open(request, reply, ctx.longPolls);
        return undefined;
      },
    },
  ],
};
