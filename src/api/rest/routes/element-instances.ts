import { decodeBoolean, decodeKey, decodeVariables } from '../decode.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';

export const elementInstanceRoutes: RouteGroup = {
  name: 'element-instances',
  routes: [
    {
      method: 'POST',
      path: '/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation',
      operationId: 'activateAdHocSubProcessActivities',
      summary: 'Activate activities within an ad-hoc sub-process',
      description:
        'Activates the given elements of a running ad-hoc sub-process, each in an inner instance of its own ' +
        'that starts with the given variables. The elements must be ones the sub-process can activate: ' +
        'inside it, without incoming sequence flows.',
      tag: 'Ad-hoc sub-process',
      camundaDocs: camundaDocs('activate-ad-hoc-sub-process-activities'),
      pathParams: [{ name: 'adHocSubProcessInstanceKey', description: 'The element instance key of the ad-hoc sub-process.' }],
      body: {
        contentType: 'application/json',
        schemaName: 'AdHocSubProcessActivateActivitiesInstruction',
        schema: REQUEST_SCHEMAS.AdHocSubProcessActivateActivitiesInstruction,
        required: true,
      },
      success: { status: 204, description: 'The activities were activated.' },
      errors: [400, 404, 409, 503],
      handler: async (ctx, request) => {
        const body = request.body as { elements: { elementId: string; variables?: unknown }[]; cancelRemainingInstances?: unknown };
        const params = request.params as Record<string, unknown>;
        await ctx.api.activateAdHocActivities({
          adHocSubProcessInstanceKey: decodeKey(params.adHocSubProcessInstanceKey, 'adHocSubProcessInstanceKey'),
          elements: body.elements.map((e, i) => ({ elementId: e.elementId, variables: decodeVariables(e.variables, `elements[${i}].variables`) })),
          cancelRemainingInstances: decodeBoolean(body.cancelRemainingInstances, 'cancelRemainingInstances'),
        });
        return undefined;
      },
    },
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
