import type { FastifyRequest } from 'fastify';
import type { DeployResourceInput } from '../../../node/api.js';
import { decodeKey, decodeTenant, invalid } from '../decode.js';
import { encodeDeployment } from '../encode.js';
import { boundaryOf, isMultipartFormData, parseMultipart, type FormPart } from '../multipart.js';
import { camundaDocs, type RouteGroup } from '../route.js';
import { DEPLOYMENT_REQUEST_SCHEMA, REQUEST_SCHEMAS } from '../schemas.js';
import type { RestContext } from '../types.js';

const OPERATION = 'Deploy resources';
/** Form parts that are not resources (tenantId) plus slack, on top of the resource limit. */
const EXTRA_PARTS = 4;
const MAX_PART_HEADER_BYTES = 16 * 1024;

export const deploymentRoutes: RouteGroup = {
  name: 'deployments',
  // Only this group reads multipart bodies, as a whole Buffer under the request size limit.
  setup: (app) => {
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  },
  routes: [
    {
      method: 'POST',
      path: '/deployments',
      operationId: 'createDeployment',
      summary: 'Deploy resources',
      description:
        'Deploys one or more resources (BPMN processes, .form forms) atomically: either all of them are deployed or none is.',
      tag: 'Resource',
      camundaDocs: camundaDocs('deploy-resources'),
      body: {
        contentType: 'multipart/form-data',
        schemaName: 'DeploymentRequest',
        schema: DEPLOYMENT_REQUEST_SCHEMA,
        required: true,
      },
      success: { status: 200, description: 'The resources are deployed.', schemaName: 'DeploymentResult' },
      errors: [400, 413, 415, 503],
      handler: async (ctx, request) => {
        const { resources, tenantId } = decodeDeployment(ctx, request);
        return encodeDeployment(await ctx.api.deploy({ resources, tenantId }));
      },
    },
    {
      method: 'POST',
      path: '/resources/{resourceKey}/deletion',
      operationId: 'deleteResource',
      summary: 'Delete resource',
      description:
        'Deletes a deployed process definition, decision requirements (with every decision in them) or form on every ' +
        'partition. Instances already running on a deleted process definition go on; new instances by BPMN process ID ' +
        'start on the previous version, whose start events take over again. The previous version of a decision or ' +
        'form is the latest again. A decision key alone is not a resource (as in Camunda): it is not found.',
      tag: 'Resource',
      camundaDocs: camundaDocs('delete-resource'),
      pathParams: [{ name: 'resourceKey', description: 'The key of the resource (process definition, decision requirements or form) to delete.' }],
      body: {
        contentType: 'application/json',
        schemaName: 'DeleteResourceRequest',
        schema: REQUEST_SCHEMAS.DeleteResourceRequest,
        required: false,
      },
      success: { status: 200, description: 'The resource is deleted.' },
      errors: [400, 404, 503],
      handler: async (ctx, request) => {
        const params = request.params as Record<string, unknown>;
        await ctx.api.deleteResource(decodeKey(params.resourceKey, 'resourceKey'));
        return undefined;
      },
    },
  ],
};

function decodeDeployment(
  ctx: RestContext,
  request: FastifyRequest,
): { resources: DeployResourceInput[]; tenantId: string } {
  const contentType = request.headers['content-type'];
  if (!isMultipartFormData(contentType) || !Buffer.isBuffer(request.body)) {
    throw invalid(`Expected a multipart/form-data body, but the content type was '${contentType ?? ''}'`);
  }
  const limit = ctx.limits.maxResourcesPerDeployment;
  const tooMany = (count: string) =>
    // INVALID_ARGUMENT, not RESOURCE_EXHAUSTED: clients retry the latter as back-pressure forever.
    invalid(`Expected to deploy at most ${limit} resources (maxResourcesPerDeployment), but ${count} were given`);
  const parts = parseMultipart(request.body, boundaryOf(contentType!), {
    maxParts: limit + EXTRA_PARTS,
    tooManyParts: () => tooMany('more'),
    maxHeaderBytes: MAX_PART_HEADER_BYTES,
  });

  const files: FormPart[] = [];
  let tenantPart: FormPart | null = null;
  for (const part of parts) {
    if (part.filename !== null) files.push(part);
    else if (part.name === 'tenantId') {
      if (tenantPart) throw invalid("Form field 'tenantId' was given more than once");
      tenantPart = part;
    } else if (part.name === 'resources') {
      throw invalid("Form field 'resources' must be a file part with a filename; the filename becomes the resource name");
    } else {
      throw invalid(`Unexpected form field '${part.name}'; expected 'resources' file parts and an optional 'tenantId'`);
    }
  }
  if (files.length === 0) throw invalid('Expected to deploy at least one resource, but none given');
  if (files.length > limit) throw tooMany(String(files.length));

  const tenantId = decodeTenant(tenantPart ? tenantPart.data.toString('utf8') : undefined, OPERATION, ctx.multiTenancy);
  const resources = files.map((file, i) => {
    if (file.filename!.trim() === '') {
      throw invalid(`Resource ${i + 1} (form field '${file.name}') has a blank filename; the filename is the resource name`);
    }
    return { name: file.filename!, content: Buffer.from(file.data) };
  });
  return { resources, tenantId };
}
