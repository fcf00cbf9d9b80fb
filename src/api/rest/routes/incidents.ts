import { decodeKey } from '../decode.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';

export const incidentRoutes: RouteGroup = {
  name: 'incidents',
  routes: [
    {
      method: 'POST',
      path: '/incidents/{incidentKey}/resolution',
      operationId: 'resolveIncident',
      summary: 'Resolve incident',
      description:
        'Marks an incident as resolved, so the element retries. ' +
        'For a job incident, give the job retries first (Update job).',
      tag: 'Incident',
      camundaDocs: camundaDocs('resolve-incident'),
      pathParams: [{ name: 'incidentKey', description: 'The key of the incident to resolve.' }],
      body: {
        contentType: 'application/json',
        schemaName: 'IncidentResolutionRequest',
        schema: REQUEST_SCHEMAS.IncidentResolutionRequest,
        required: false,
      },
      success: { status: 204, description: 'The incident is marked as resolved.' },
      errors: [400, 404, 409, 503],
      handler: async (ctx, request) => {
        const params = request.params as Record<string, unknown>;
        await ctx.api.resolveIncident(decodeKey(params.incidentKey, 'incidentKey'));
        return undefined;
      },
    },
  ],
};
