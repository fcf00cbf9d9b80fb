import { getByKey } from './history.js';
import { ZenError } from '../../../errors.js';
import type { CreateInstanceRequest, MigrateInstanceRequest, ModifyInstanceRequest } from '../../../node/api.js';
import {
  clampWait,
  decodeBoolean,
  decodeInteger,
  decodeKey,
  decodeRequiredString,
  decodeStringList,
  decodeTenant,
  decodeVariables,
  invalid,
  rejectUnsupported,
} from '../decode.js';
import { encodeCreatedInstance, encodeProcessInstance } from '../encode.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { REQUEST_SCHEMAS } from '../schemas.js';
import type { RestContext } from '../types.js';

type Body = Record<string, unknown>;
const CREATE = 'Create process instance';

export const processInstanceRoutes: RouteGroup = {
  name: 'process-instances',
  routes: [
    {
      method: 'POST',
      path: '/process-instances',
      operationId: 'createProcessInstance',
      summary: 'Create process instance',
      description:
        'Creates and starts an instance of a process definition, given by its key or by its BPMN process ID ' +
        'and version. With awaitCompletion, answers when the instance has completed, with its variables.',
      tag: 'Process instance',
      camundaDocs: camundaDocs('create-process-instance'),
      body: {
        contentType: 'application/json',
        schemaName: 'ProcessInstanceCreationInstruction',
        schema: REQUEST_SCHEMAS.ProcessInstanceCreationInstruction,
        required: true,
      },
      success: { status: 200, description: 'The process instance was created.', schemaName: 'CreateProcessInstanceResult' },
      errors: [400, 404, 501, 503, 504],
      handler: async (ctx, request) => {
        const body = request.body as Body;
        const create = decodeCreate(body, ctx.multiTenancy);
        if (!decodeBoolean(body.awaitCompletion, 'awaitCompletion')) {
          return encodeCreatedInstance(await ctx.api.createProcessInstance(create), {});
        }
        const result = await ctx.api.createProcessInstanceWithResult({
          ...create,
          requestTimeoutMs: requestTimeout(ctx, body.requestTimeout),
          fetchVariables: decodeStringList(body.fetchVariables, 'fetchVariables'),
        });
        return encodeCreatedInstance(result, result.variables);
      },
    },
    {
      method: 'GET',
      path: '/process-instances/{processInstanceKey}',
      operationId: 'getProcessInstance',
      summary: 'Get process instance',
      description:
        'Returns an active process instance with its active elements, read from a replica of its partition: ' +
        'this node\'s if it holds one in sync, else another member\'s (a follower may be milliseconds behind ' +
        'the leader). The Zen-Served-By header names the node and role that answered. A completed or ' +
        'terminated instance is answered from the history (without active elements).',
      tag: 'Process instance',
      camundaDocs: camundaDocs('get-process-instance'),
      pathParams: [{ name: 'processInstanceKey', description: 'The key of the process instance.' }],
      success: { status: 200, description: 'The process instance.', schemaName: 'ProcessInstanceResult' },
      errors: [400, 404, 503],
      handler: async (ctx, request, reply) => {
        const params = request.params as Record<string, unknown>;
        const key = decodeKey(params.processInstanceKey, 'processInstanceKey');
        let answer;
        try {
          answer = await ctx.api.getProcessInstance(key);
        } catch (err) {
          if (!(err instanceof ZenError) || err.code !== 'NOT_FOUND') throw err;
          // Not running: a finished instance is in the history.
          return { ...(await getByKey(ctx, reply, 'processInstances', 'processInstanceKey', key, 'process instance')), activeElements: [] };
        }
        void reply.header('Zen-Served-By', `${answer.servedBy.nodeId}/${answer.servedBy.role}`);
        // The engine's state knows what runs; the history adds what Camunda's answer also carries
        // (start date, definition name). A history a moment behind leaves them out, nothing more.
        const recorded = await ctx.api
          .searchHistory('processInstances', { filter: { processInstanceKey: String(key) }, sort: [], page: { limit: 1 } })
          .then((found) => found.items[0] as Record<string, unknown> | undefined)
          .catch(() => undefined);
        return { ...recorded, ...encodeProcessInstance(answer.value) };
      },
    },
    {
      method: 'POST',
      path: '/process-instances/{processInstanceKey}/cancellation',
      operationId: 'cancelProcessInstance',
      summary: 'Cancel process instance',
      description: 'Cancels a running process instance.',
      tag: 'Process instance',
      camundaDocs: camundaDocs('cancel-process-instance'),
      pathParams: [{ name: 'processInstanceKey', description: 'The key of the process instance to cancel.' }],
      body: {
        contentType: 'application/json',
        schemaName: 'CancelProcessInstanceRequest',
        schema: REQUEST_SCHEMAS.CancelProcessInstanceRequest,
        required: false,
      },
      success: { status: 204, description: 'The process instance is cancelled.' },
      errors: [400, 404, 503],
      handler: async (ctx, request) => {
        const params = request.params as Record<string, unknown>;
        await ctx.api.cancelProcessInstance(decodeKey(params.processInstanceKey, 'processInstanceKey'));
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/process-instances/{processInstanceKey}/modification',
      operationId: 'modifyProcessInstance',
      summary: 'Modify process instance',
      description:
        'Activates elements of a running process instance (creating the sub-process instances they are in when ' +
        'none runs) and terminates element instances, in one step. A scope left with nothing running is ' +
        'terminated too, up to the process instance.',
      tag: 'Process instance',
      camundaDocs: camundaDocs('modify-process-instance'),
      pathParams: [{ name: 'processInstanceKey', description: 'The key of the process instance to modify.' }],
      body: {
        contentType: 'application/json',
        schemaName: 'ProcessInstanceModificationInstruction',
        schema: REQUEST_SCHEMAS.ProcessInstanceModificationInstruction,
        required: true,
      },
      success: { status: 204, description: 'The process instance is modified.' },
      errors: [400, 404, 503],
      handler: async (ctx, request) => {
        const params = request.params as Record<string, unknown>;
        await ctx.api.modifyProcessInstance(decodeModification(decodeKey(params.processInstanceKey, 'processInstanceKey'), request.body as Body));
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/process-instances/{processInstanceKey}/migration',
      operationId: 'migrateProcessInstance',
      summary: 'Migrate process instance',
      description:
        'Moves a running process instance to another process definition. Every active element needs a mapping ' +
        'to an element of the same type in the same flow scope; element instances keep their keys, jobs, ' +
        'incidents, variables and the timers and message subscriptions of catch events.',
      tag: 'Process instance',
      camundaDocs: camundaDocs('migrate-process-instance'),
      pathParams: [{ name: 'processInstanceKey', description: 'The key of the process instance to migrate.' }],
      body: {
        contentType: 'application/json',
        schemaName: 'ProcessInstanceMigrationInstruction',
        schema: REQUEST_SCHEMAS.ProcessInstanceMigrationInstruction,
        required: true,
      },
      success: { status: 204, description: 'The process instance is migrated.' },
      errors: [400, 404, 409, 503],
      handler: async (ctx, request) => {
        const params = request.params as Record<string, unknown>;
        await ctx.api.migrateProcessInstance(decodeMigration(decodeKey(params.processInstanceKey, 'processInstanceKey'), request.body as Body));
        return undefined;
      },
    },
  ],
};

function decodeMigration(processInstanceKey: bigint, body: Body): MigrateInstanceRequest {
  const mappings = body.mappingInstructions as Array<Record<string, unknown>>;
  return {
    processInstanceKey,
    targetProcessDefinitionKey: decodeKey(body.targetProcessDefinitionKey, 'targetProcessDefinitionKey'),
    mappingInstructions: mappings.map((m, i) => ({
      sourceElementId: decodeRequiredString(m.sourceElementId, `mappingInstructions[${i}].sourceElementId`),
      targetElementId: decodeRequiredString(m.targetElementId, `mappingInstructions[${i}].targetElementId`),
    })),
  };
}

function decodeModification(processInstanceKey: bigint, body: Body): ModifyInstanceRequest {
  const activate = (body.activateInstructions ?? []) as Array<Record<string, unknown>>;
  const terminate = (body.terminateInstructions ?? []) as Array<Record<string, unknown>>;
  return {
    processInstanceKey,
    activateInstructions: activate.map((instruction, i) => {
      const field = `activateInstructions[${i}]`;
      const ancestor = instruction.ancestorElementInstanceKey;
      // -1 (as a number or a string) asks for no particular ancestor, as in Camunda.
      const noAncestor = ancestor === undefined || ancestor === null || ancestor === -1 || ancestor === '-1';
      return {
        elementId: decodeRequiredString(instruction.elementId, `${field}.elementId`),
        ancestorElementInstanceKey: noAncestor ? null : decodeKey(typeof ancestor === 'number' ? String(ancestor) : ancestor, `${field}.ancestorElementInstanceKey`),
        variableInstructions: ((instruction.variableInstructions ?? []) as Array<Record<string, unknown>>).map((v, j) => ({
          scopeId: typeof v.scopeId === 'string' ? v.scopeId : '',
          variables: decodeVariables(v.variables, `${field}.variableInstructions[${j}].variables`),
        })),
      };
    }),
    terminateInstructions: terminate.map((t, i) => decodeKey(t.elementInstanceKey, `terminateInstructions[${i}].elementInstanceKey`)),
  };
}

function decodeCreate(body: Body, multiTenancy: boolean): CreateInstanceRequest {
  rejectUnsupported(body.runtimeInstructions, 'runtimeInstructions', CREATE);
  rejectUnsupported(body.tags, 'tags', CREATE);
  const tenantId = decodeTenant(body.tenantId, CREATE, multiTenancy);
  const hasId = body.processDefinitionId !== undefined && body.processDefinitionId !== null;
  const hasKey = body.processDefinitionKey !== undefined && body.processDefinitionKey !== null;
  if (hasId === hasKey) {
    throw invalid(
      hasId
        ? "Expected either 'processDefinitionId' or 'processDefinitionKey', but both were given"
        : "Expected either 'processDefinitionId' or 'processDefinitionKey' to be given, but none was",
    );
  }
  const variables = decodeVariables(body.variables);
  const startInstructions = decodeStartInstructions(body.startInstructions);
  if (hasKey) {
    // processDefinitionVersion only qualifies an ID; with a key it is ignored, as in Camunda.
    return {
      bpmnProcessId: null,
      processDefinitionKey: decodeKey(body.processDefinitionKey, 'processDefinitionKey'),
      version: -1,
      variables,
      tenantId,
      ...(startInstructions.length > 0 ? { startInstructions } : {}),
    };
  }
  const bpmnProcessId = body.processDefinitionId;
  if (typeof bpmnProcessId !== 'string' || bpmnProcessId.trim() === '') {
    throw invalid("Property 'processDefinitionId' is invalid: expected a non-empty string, but it was blank");
  }
  const version = decodeInteger(body.processDefinitionVersion, 'processDefinitionVersion', -1);
  return { bpmnProcessId, processDefinitionKey: null, version, variables, tenantId, ...(startInstructions.length > 0 ? { startInstructions } : {}) };
}

/** `[{ elementId }]`: where the instance starts instead of its none start event. */
function decodeStartInstructions(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid("Property 'startInstructions' is invalid: expected an array of { elementId }");
  return value.map((item, i) => decodeRequiredString((item as { elementId?: unknown } | null)?.elementId, `startInstructions[${i}].elementId`));
}

/** Camunda: a positive requestTimeout is used as given, anything else means the server default. */
function requestTimeout(ctx: RestContext, value: unknown): number {
  const requested = decodeInteger(value, 'requestTimeout', 0);
  return requested > 0 ? clampWait(requested) : ctx.timeouts.requestMs;
}
