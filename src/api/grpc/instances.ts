import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { CreateInstanceRequest, CreateInstanceResult, ModifyInstanceRequest } from '../../node/api.js';
import { ZenError } from '../../errors.js';
import {
  decodeRequiredString,
  clampWait,
  decodeInt64,
  decodeKey,
  decodeOptionalKey,
  decodeStringList,
  decodeTenant,
  decodeVariables,
  invalid,
} from './decode.js';
import { int64, tenant, toJson } from './encode.js';
import type { RpcContext } from './types.js';
import { unary } from './unary.js';
import type {
  CancelProcessInstanceRequest,
  CreateProcessInstanceRequest,
  CreateProcessInstanceResponse,
  CreateProcessInstanceWithResultRequest,
  CreateProcessInstanceWithResultResponse,
  DeleteResourceRequest,
  Empty,
  MigrateProcessInstanceRequest,
  ModifyProcessInstanceRequest,
  ResolveIncidentRequest,
  SetVariablesRequest,
  SetVariablesResponse,
} from './wire.js';

/** RPCs that start, change or stop a process instance. */
export function instanceHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    CreateProcessInstance: unary<CreateProcessInstanceRequest, CreateProcessInstanceResponse>(
      ctx,
      'CreateProcessInstance',
      async (req) => encodeCreated(await ctx.api.createProcessInstance(decodeCreate(req, 'CreateProcessInstance', ctx.multiTenancy))),
    ),

    CreateProcessInstanceWithResult: unary<CreateProcessInstanceWithResultRequest, CreateProcessInstanceWithResultResponse>(
      ctx,
      'CreateProcessInstanceWithResult',
      async (req) => {
        if (!req.request) {
          throw invalid("Property 'request' is invalid: expected a CreateProcessInstanceRequest, but it was not set");
        }
        const create = decodeCreate(req.request, 'CreateProcessInstanceWithResult', ctx.multiTenancy);
        // Zeebe: a positive requestTimeout is used as given, anything else means the gateway default.
        const requested = decodeInt64(req.requestTimeout, 'requestTimeout');
        const requestTimeoutMs = requested > 0 ? clampWait(requested) : ctx.timeouts.requestMs;
        const fetchVariables = decodeStringList(req.fetchVariables, 'fetchVariables');
        // Long-lived like a long poll: during a shutdown no job can complete any more, so waiting
        // would only hold the drain open until its grace period and end in a bare CANCELLED.
        let unregister = () => {};
        const shutdown = new Promise<never>((_, reject) => {
          unregister = ctx.longLived.add(() =>
            reject(new ZenError('UNAVAILABLE', 'Zen is shutting down; the process instance may have been created, but its result will not be awaited')),
          );
        });
        try {
          const result = await Promise.race([
            ctx.api.createProcessInstanceWithResult({ ...create, requestTimeoutMs, fetchVariables }),
            shutdown,
          ]);
          return { ...encodeCreated(result), variables: toJson(result.variables) };
        } finally {
          unregister();
        }
      },
    ),

    CancelProcessInstance: unary<CancelProcessInstanceRequest, Empty>(ctx, 'CancelProcessInstance', async (req) => {
      await ctx.api.cancelProcessInstance(decodeKey(req.processInstanceKey, 'processInstanceKey'));
      return {};
    }),

    SetVariables: unary<SetVariablesRequest, SetVariablesResponse>(ctx, 'SetVariables', async (req) => {
      const key = await ctx.api.setVariables({
        elementInstanceKey: decodeKey(req.elementInstanceKey, 'elementInstanceKey'),
        variables: decodeVariables(req.variables),
        local: req.local === true,
      });
      return { key: int64(key) };
    }),

    ResolveIncident: unary<ResolveIncidentRequest, Empty>(ctx, 'ResolveIncident', async (req) => {
      await ctx.api.resolveIncident(decodeKey(req.incidentKey, 'incidentKey'));
      return {};
    }),

    ModifyProcessInstance: unary<ModifyProcessInstanceRequest, Empty>(ctx, 'ModifyProcessInstance', async (req) => {
      await ctx.api.modifyProcessInstance(decodeModify(req));
      return {};
    }),

    MigrateProcessInstance: unary<MigrateProcessInstanceRequest, Empty>(ctx, 'MigrateProcessInstance', async (req) => {
      if (!req.migrationPlan) throw invalid("Property 'migrationPlan' is invalid: expected a MigrationPlan, but it was not set");
      await ctx.api.migrateProcessInstance({
        processInstanceKey: decodeKey(req.processInstanceKey, 'processInstanceKey'),
        targetProcessDefinitionKey: decodeKey(req.migrationPlan.targetProcessDefinitionKey, 'migrationPlan.targetProcessDefinitionKey'),
        mappingInstructions: (req.migrationPlan.mappingInstructions ?? []).map((m, i) => ({
          sourceElementId: decodeRequiredString(m.sourceElementId, `migrationPlan.mappingInstructions[${i}].sourceElementId`),
          targetElementId: decodeRequiredString(m.targetElementId, `migrationPlan.mappingInstructions[${i}].targetElementId`),
        })),
      });
      return {};
    }),

    DeleteResource: unary<DeleteResourceRequest, Empty>(ctx, 'DeleteResource', async (req) => {
      await ctx.api.deleteResource(decodeKey(req.resourceKey, 'resourceKey'));
      return {};
    }),
  };
}

function decodeModify(req: ModifyProcessInstanceRequest): ModifyInstanceRequest {
  return {
    processInstanceKey: decodeKey(req.processInstanceKey, 'processInstanceKey'),
    activateInstructions: (req.activateInstructions ?? []).map((instruction, i) => {
      const field = `activateInstructions[${i}]`;
      // Clients send -1 (or leave 0) for "no ancestor".
      const rawAncestor = typeof instruction.ancestorElementInstanceKey === 'string' && instruction.ancestorElementInstanceKey.startsWith('-') ? '0' : instruction.ancestorElementInstanceKey ?? '0';
      return {
        elementId: decodeRequiredString(instruction.elementId, `${field}.elementId`),
        ancestorElementInstanceKey: decodeOptionalKey(rawAncestor, `${field}.ancestorElementInstanceKey`),
        variableInstructions: (instruction.variableInstructions ?? []).map((v, j) => ({
          scopeId: typeof v.scopeId === 'string' ? v.scopeId : '',
          variables: decodeVariables(v.variables, `${field}.variableInstructions[${j}].variables`),
        })),
      };
    }),
    terminateInstructions: (req.terminateInstructions ?? []).map((t, i) => decodeKey(t.elementInstanceKey, `terminateInstructions[${i}].elementInstanceKey`)),
  };
}

function decodeCreate(req: CreateProcessInstanceRequest, rpc: string, multiTenancy: boolean): CreateInstanceRequest {
  const startInstructions = (req.startInstructions ?? []).map((instruction, i) => decodeRequiredString(instruction?.elementId, `startInstructions[${i}].elementId`));
  const tenantId = decodeTenant(req.tenantId, rpc, multiTenancy);
  // Zeebe's engine treats any key below 1 as "not given" (clients have sent both 0 and -1).
  const rawKey = typeof req.processDefinitionKey === 'string' && req.processDefinitionKey.startsWith('-')
    ? '0'
    : req.processDefinitionKey;
  const processDefinitionKey = decodeOptionalKey(rawKey, 'processDefinitionKey');
  const bpmnProcessId = typeof req.bpmnProcessId === 'string' && req.bpmnProcessId.trim() !== '' ? req.bpmnProcessId : null;
  if (processDefinitionKey === null && bpmnProcessId === null) {
    throw invalid("Expected either 'bpmnProcessId' or 'processDefinitionKey' to be set, but none was given");
  }
  return {
    // The key wins when both are given, as in Zeebe.
    bpmnProcessId: processDefinitionKey === null ? bpmnProcessId : null,
    processDefinitionKey,
    version: typeof req.version === 'number' ? req.version : -1,
    variables: decodeVariables(req.variables),
    ...(startInstructions.length > 0 ? { startInstructions } : {}),
    tenantId,
  };
}

function encodeCreated(result: CreateInstanceResult): CreateProcessInstanceResponse {
  return {
    processDefinitionKey: int64(result.processDefinitionKey),
    bpmnProcessId: result.bpmnProcessId,
    version: result.version,
    processInstanceKey: int64(result.processInstanceKey),
    tenantId: tenant(result.tenantId),
  };
}
