/**
 * What a process diagram shows, from the history (ADR 010): element statistics of a definition
 * or of an instance, the sequence flows an instance took, its call hierarchy, and the
 * definition's BPMN XML. Served by followers where they can, like the searches.
 */
import type { FastifyReply } from 'fastify';
import type { ServedBy } from '../../../node/api.js';
import { decodeKey } from '../decode.js';
import { ELEMENT_STATISTICS_QUERY } from '../history-diagram-schemas.js';
import { camundaDocs, type RouteSpec } from '../route.js';

type Body = Record<string, unknown>;

function servedBy(reply: FastifyReply, by: ReadonlyArray<ServedBy & { readonly partitionId: number }>): void {
  if (by.length) void reply.header('Zen-Served-By', by.map((s) => `${s.partitionId}:${s.nodeId}/${s.role}`).join(', '));
}

const pathKey = (request: { params: unknown }, name: string) => decodeKey((request.params as Body)[name], name);
const INSTANCE = [{ name: 'processInstanceKey', description: 'The key of the process instance.' }];
const DEFINITION = [{ name: 'processDefinitionKey', description: 'The key of the process definition.' }];

export const DIAGRAM_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/process-definitions/{processDefinitionKey}/statistics/element-instances',
    operationId: 'getProcessDefinitionStatistics',
    summary: 'Get process definition statistics',
    description:
      "Per element of the definition, how many of its process instances (running and finished, on every partition, " +
      'optionally filtered) have an element instance there that is active, active with an incident (on it or inside it), ' +
      'completed or canceled. Neither the process nor multi-instance bodies are listed.',
    tag: 'Process definition',
    camundaDocs: camundaDocs('get-process-definition-statistics'),
    pathParams: DEFINITION,
    body: { contentType: 'application/json', schemaName: 'ProcessDefinitionElementStatisticsQuery', schema: ELEMENT_STATISTICS_QUERY, required: false },
    success: { status: 200, description: 'The statistics, by element id.', schemaName: 'ProcessDefinitionElementStatisticsQueryResult' },
    errors: [400, 503],
    handler: async (ctx, request, reply) => {
      const answer = await ctx.api.processDefinitionStatistics(pathKey(request, 'processDefinitionKey'), ((request.body ?? {}) as Body).filter ?? {});
      servedBy(reply, answer.servedBy);
      return { items: answer.items };
    },
  },
  {
    method: 'GET',
    path: '/process-instances/{processInstanceKey}/statistics/element-instances',
    operationId: 'getProcessInstanceStatistics',
    summary: 'Get process instance statistics',
    description:
      'Per element of the process instance, how many of its element instances are active, active with an incident (on it ' +
      'or inside it), completed or canceled. Read from the history of its partition.',
    tag: 'Process instance',
    camundaDocs: camundaDocs('get-process-instance-statistics'),
    pathParams: INSTANCE,
    success: { status: 200, description: 'The statistics, by element id.', schemaName: 'ProcessInstanceElementStatisticsQueryResult' },
    errors: [400, 503],
    handler: async (ctx, request, reply) => {
      const answer = await ctx.api.processInstanceStatistics(pathKey(request, 'processInstanceKey'));
      servedBy(reply, answer.servedBy);
      return { items: answer.items };
    },
  },
  {
    method: 'GET',
    path: '/process-instances/{processInstanceKey}/sequence-flows',
    operationId: 'getProcessInstanceSequenceFlows',
    summary: 'Get sequence flows',
    description: 'The sequence flows the process instance has taken, each once however often it was taken, by flow id.',
    tag: 'Process instance',
    camundaDocs: camundaDocs('get-process-instance-sequence-flows'),
    pathParams: INSTANCE,
    success: { status: 200, description: 'The sequence flows taken.', schemaName: 'ProcessInstanceSequenceFlowsQueryResult' },
    errors: [400, 503],
    handler: async (ctx, request, reply) => {
      const answer = await ctx.api.processInstanceSequenceFlows(pathKey(request, 'processInstanceKey'));
      servedBy(reply, answer.servedBy);
      return { items: answer.items };
    },
  },
  {
    method: 'GET',
    path: '/process-instances/{processInstanceKey}/call-hierarchy',
    operationId: 'getProcessInstanceCallHierarchy',
    summary: 'Get call hierarchy for process instance',
    description:
      'The chain of process instances that called this one, root first and this one last (empty for a root instance), ' +
      "each read from its own partition's history.",
    tag: 'Process instance',
    camundaDocs: camundaDocs('get-process-instance-call-hierarchy'),
    pathParams: INSTANCE,
    success: { status: 200, description: 'The call hierarchy.', schemaName: 'ProcessInstanceCallHierarchy' },
    errors: [400, 404, 503],
    handler: async (ctx, request, reply) => {
      const answer = await ctx.api.processInstanceCallHierarchy(pathKey(request, 'processInstanceKey'));
      servedBy(reply, answer.servedBy);
      return answer.items;
    },
  },
  {
    method: 'GET',
    path: '/process-definitions/{processDefinitionKey}/xml',
    operationId: 'getProcessDefinitionXML',
    summary: 'Get process definition XML',
    description: 'The BPMN document of the process definition as it was deployed (text/xml).',
    tag: 'Process definition',
    camundaDocs: camundaDocs('get-process-definition-xml'),
    pathParams: DEFINITION,
    success: { status: 200, description: 'The BPMN XML.', contentType: 'text/xml' },
    errors: [400, 404, 503],
    handler: async (ctx, request, reply) => {
      const answer = await ctx.api.processDefinitionXml(pathKey(request, 'processDefinitionKey'));
      servedBy(reply, [{ ...answer.servedBy, partitionId: 1 }]);
      return reply.code(200).type('text/xml').send(answer.value);
    },
  },
];
