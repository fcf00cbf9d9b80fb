import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { DEFAULT_TENANT, type DeployedForm, type DeployedProcess, type DeployResourceInput } from '../../node/api.js';
import { decodeRequiredString, decodeTenant, invalid } from './decode.js';
import { int64, tenant } from './encode.js';
import type { RpcContext } from './types.js';
import { unary } from './unary.js';
import type {
  DeployProcessRequest,
  DeployProcessResponse,
  DeployResourceRequest,
  DeployResourceResponse,
  FormMetadata,
  ProcessMetadata,
} from './wire.js';

export function deploymentHandlers(ctx: RpcContext): UntypedServiceImplementation {
  return {
    DeployResource: unary<DeployResourceRequest, DeployResourceResponse>(ctx, 'DeployResource', async (req) => {
      const tenantId = decodeTenant(req.tenantId, 'DeployResource', ctx.multiTenancy);
      const resources = decodeResources(ctx, req.resources ?? [], (r) => r);
      const result = await ctx.api.deploy({ resources, tenantId });
      return {
        key: int64(result.key),
        tenantId: tenant(result.tenantId),
        deployments: [
          ...result.processes.map((process) => ({ process: encodeProcess(process) })),
          ...(result.decisionRequirements ?? []).map((drg) => ({
            decisionRequirements: {
              dmnDecisionRequirementsId: drg.decisionRequirementsId,
              dmnDecisionRequirementsName: drg.decisionRequirementsName,
              version: drg.version,
              decisionRequirementsKey: int64(drg.decisionRequirementsKey),
              resourceName: drg.resourceName,
              tenantId: tenant(drg.tenantId),
            },
          })),
          ...(result.decisions ?? []).map((decision) => ({
            decision: {
              dmnDecisionId: decision.decisionId,
              dmnDecisionName: decision.decisionName,
              version: decision.version,
              decisionKey: int64(decision.decisionKey),
              dmnDecisionRequirementsId: decision.decisionRequirementsId,
              decisionRequirementsKey: int64(decision.decisionRequirementsKey),
              tenantId: tenant(decision.tenantId),
            },
          })),
          ...result.forms.map((form) => ({ form: encodeForm(form) })),
        ],
      };
    }),

    // Deprecated since Zeebe 8 but still sent by old clients; same command, older shapes.
    DeployProcess: unary<DeployProcessRequest, DeployProcessResponse>(ctx, 'DeployProcess', async (req) => {
      const resources = decodeResources(ctx, req.processes ?? [], (p) => ({ name: p.name, content: p.definition }));
      const result = await ctx.api.deploy({ resources, tenantId: DEFAULT_TENANT });
      return { key: int64(result.key), processes: result.processes.map(encodeProcess) };
    }),
  };
}

function decodeResources<T>(
  ctx: RpcContext,
  items: readonly T[],
  toResource: (item: T) => { name: string; content: Buffer },
): DeployResourceInput[] {
  if (items.length === 0) {
    throw invalid('Expected to deploy at least one resource, but none given');
  }
  const limit = ctx.limits.maxResourcesPerDeployment;
  if (items.length > limit) {
    // INVALID_ARGUMENT, not RESOURCE_EXHAUSTED: clients retry the latter as back-pressure forever.
    throw invalid(
      `Expected to deploy at most ${limit} resources (maxResourcesPerDeployment), but ${items.length} were given`,
    );
  }
  return items.map((item, i) => {
    const { name, content } = toResource(item);
    return {
      name: decodeRequiredString(name, `resources[${i}].name`),
      content: Buffer.isBuffer(content) ? content : Buffer.alloc(0),
    };
  });
}

function encodeForm(form: DeployedForm): FormMetadata {
  return {
    formId: form.formId,
    version: form.version,
    formKey: int64(form.formKey),
    resourceName: form.resourceName,
    tenantId: tenant(form.tenantId),
  };
}

function encodeProcess(process: DeployedProcess): ProcessMetadata {
  return {
    bpmnProcessId: process.bpmnProcessId,
    version: process.version,
    processDefinitionKey: int64(process.processDefinitionKey),
    resourceName: process.resourceName,
    tenantId: tenant(process.tenantId),
  };
}
