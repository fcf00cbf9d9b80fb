import { decodeBoolean, decodeKey, decodeVariables } from '../decode.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';

export const elementInstanceRoutes: RouteGroup = {
  name: 'element-instances',
  routes: [
    {
      method: 'PUT',
      path: '/element-instances/{elementInstanceKey}/variables',
      operationId: 'createElementInstanceVariables',
      summary: 'Update element instance variables',
      description:
        'Sets variables in a scope: the process instance (its key) or an element instance such as a task ' +
        '(the elementInstanceKey of its job).',
      tag: 'Element instance',
      camundaDocs: camundaDocs('update-element-instance-variables'),
      pathParams: [
        {
          name: 'elementInstanceKey',
          description: 'The key of the scope: a process instance key or an element instance key.',
        },
      ],
      body: {
        contentType: 'application/json',
        schemaName: 'SetVariableRequest',
        schema: REQUEST_SCHEMAS.SetVariableRequest,
        required: true,
      },
      success: { status: 204, description: 'The variables were updated.' },
      errors: [400, 404, 409, 503],
      handler: async (ctx, request) => {
        const body = request.body as Record<string, unknown>;
        const params = request.params as Record<string, unknown>;
        await ctx.api.setVariables({
          elementInstanceKey: decodeKey(params.elementInstanceKey, 'elementInstanceKey'),
          variables: decodeVariables(body.variables),
          local: decodeBoolean(body.local, 'local'),
        });
        return undefined;
      },
    },
  ],
};
