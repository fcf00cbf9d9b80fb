/**
 * JSON schemas, written once and used twice: request schemas validate bodies (fastify's Ajv) and
 * appear in the OpenAPI document; response schemas only document. Names, fields and types follow
 * Camunda 8.8's Orchestration Cluster API (`rest-api.yaml` in camunda/camunda). The dialect is the
 * common ground of OpenAPI 3.0 and Ajv: no `$ref` in request schemas, `nullable` for null.
 */

export type JsonSchema = { readonly [keyword: string]: unknown };

/** Camunda's LongKey: an int64 written as a decimal string. */
export const KEY_PATTERN = '^-?[0-9]+$';

export function keySchema(description: string): JsonSchema {
  return { type: 'string', pattern: KEY_PATTERN, minLength: 1, maxLength: 25, description };
}

const tenantId: JsonSchema = {
  type: 'string',
  description:
    "The tenant; absent or blank: '<default>'. Without --multi-tenancy only '<default>'; with it up to 31 letters, digits, '_', '.' or '-'.",
};

const variables = (description: string): JsonSchema => ({
  type: 'object',
  nullable: true,
  additionalProperties: true,
  description,
});

const operationReference: JsonSchema = {
  type: 'integer',
  format: 'int64',
  minimum: 1,
  description:
    'A reference key chosen by the user, returned in the records of the operation. ' +
    'Accepted; Zen does not export records yet.',
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const action = (fallback: string): JsonSchema => ({
  type: 'string',
  nullable: true,
  description: `A custom action recorded on the user task's events; '${fallback}' when absent.`,
});

const CHANGESET_PROPERTIES = {
  dueDate: { type: 'string', nullable: true, description: 'ISO 8601 date-time; an empty string clears it.' },
  followUpDate: { type: 'string', nullable: true, description: 'ISO 8601 date-time; an empty string clears it.' },
  candidateUsers: { type: 'array', items: { type: 'string' }, nullable: true, description: 'An empty list clears it.' },
  candidateGroups: { type: 'array', items: { type: 'string' }, nullable: true, description: 'An empty list clears it.' },
  priority: { type: 'integer', format: 'int32', minimum: 0, maximum: 100, nullable: true },
} as const;

const changeset = (description: string): JsonSchema => ({
  type: 'object',
  nullable: true,
  description,
  properties: CHANGESET_PROPERTIES,
  additionalProperties: true,
});

// ---------------------------------------------------------------------------------------------
// Requests

export const REQUEST_SCHEMAS = {
  ProcessInstanceCreationInstruction: {
    type: 'object',
    description:
      'Creates an instance of a process definition given either by processDefinitionKey, or by ' +
      'processDefinitionId and processDefinitionVersion (latest when absent). Exactly one of the two must be given.',
    properties: {
      processDefinitionId: { type: 'string', description: 'The BPMN process ID of the process definition.' },
      processDefinitionVersion: {
        type: 'integer',
        format: 'int32',
        default: -1,
        description: 'The version of the process definition; -1 or absent means the latest.',
      },
      processDefinitionKey: keySchema('The key of the process definition, as returned by a deployment.'),
      variables: variables('The variables of the root scope of the new instance.'),
      tenantId,
      operationReference,
      startInstructions: {
        type: 'array',
        items: { type: 'object', properties: { elementId: { type: 'string' } }, required: ['elementId'] },
        description: 'Elements to start at instead of the none start event (inside sub-processes too: their scopes are created).',
      },
      runtimeInstructions: {
        type: 'array',
        items: { type: 'object' },
        description: 'Not supported by Zen yet: a non-empty list is rejected with 501.',
      },
      tags: {
        type: 'array',
        items: { type: 'string' },
        description: 'Not supported by Zen yet: a non-empty list is rejected with 501.',
      },
      awaitCompletion: {
        type: 'boolean',
        default: false,
        description: 'Wait for the instance to complete and return its variables; 504 after requestTimeout.',
      },
      fetchVariables: {
        type: 'array',
        items: { type: 'string' },
        description: 'With awaitCompletion: the variables to return; empty means all root-scope variables.',
      },
      requestTimeout: {
        type: 'integer',
        format: 'int64',
        default: 0,
        description: 'With awaitCompletion: how long to wait, in ms; 0 or less means the server default.',
      },
    },
  },

  CancelProcessInstanceRequest: {
    type: 'object',
    nullable: true,
    properties: { operationReference },
  },

  JobActivationRequest: {
    type: 'object',
    required: ['type', 'timeout', 'maxJobsToActivate'],
    properties: {
      type: { type: 'string', description: 'The job type, as defined in the BPMN process.' },
      worker: { type: 'string', description: 'The name of the worker activating the jobs.' },
      timeout: {
        type: 'integer',
        format: 'int64',
        description: 'How long (ms) an activated job stays with this worker before it can be activated again.',
      },
      maxJobsToActivate: { type: 'integer', format: 'int32', description: 'The most jobs to activate.' },
      fetchVariable: {
        type: 'array',
        items: { type: 'string' },
        description: 'The variables to fetch; empty means all variables visible to the job.',
      },
      requestTimeout: {
        type: 'integer',
        format: 'int64',
        default: 0,
        description:
          'Long polling: the request completes when a job is activated or after this many ms. ' +
          '0 means the server default, less than 0 answers at once.',
      },
      tenantIds: { type: 'array', items: tenantId, description: "The tenants to activate jobs for; absent or empty: '<default>'." },
    },
  },

  JobCompletionRequest: {
    type: 'object',
    nullable: true,
    properties: {
      variables: variables('The variables to complete the job with.'),
      result: {
        type: 'object',
        nullable: true,
        description:
          "A task listener's answer (type 'userTask'): denied (with deniedReason) refuses the user task's transition; " +
          "corrections change assignee, dueDate, followUpDate, candidateUsers, candidateGroups or priority. " +
          "Type 'adHocSubProcess' is not supported by Zen yet (501).",
        properties: {
          type: { type: 'string', enum: ['userTask', 'adHocSubProcess'] },
          denied: { type: 'boolean', nullable: true },
          deniedReason: { type: 'string', nullable: true },
          corrections: { ...changeset('The task attributes the listener corrects.'), properties: { ...CHANGESET_PROPERTIES, assignee: { type: 'string', nullable: true } } },
        },
      },
    },
  },

  UserTaskAssignmentRequest: {
    type: 'object',
    required: ['assignee'],
    properties: {
      assignee: { type: 'string', minLength: 1, description: 'The new assignee; not empty (unassign with DELETE .../assignee).' },
      allowOverride: {
        type: 'boolean',
        nullable: true,
        description: 'true or absent: reassign a task that has an assignee; false: refuse (409) unless it has none or this one (a claim).',
      },
      action: action('assign'),
    },
  },

  UserTaskCompletionRequest: {
    type: 'object',
    nullable: true,
    properties: {
      variables: variables('The variables to complete the user task with.'),
      action: action('complete'),
    },
  },

  UserTaskUpdateRequest: {
    type: 'object',
    nullable: true,
    properties: {
      changeset: changeset('The attributes to change; absent or null ones keep their value. The assignee changes by assignment only.'),
      action: action('update'),
    },
  },

  JobFailRequest: {
    type: 'object',
    nullable: true,
    properties: {
      retries: {
        type: 'integer',
        format: 'int32',
        default: 0,
        description: 'The retries the job has left; 0 raises an incident.',
      },
      errorMessage: { type: 'string', nullable: true, description: 'Why the job failed.' },
      retryBackOff: {
        type: 'integer',
        format: 'int64',
        default: 0,
        description: 'How long (ms) before the job can be activated again.',
      },
      variables: variables('Variables to set at the local scope of the job.'),
    },
  },

  JobErrorRequest: {
    type: 'object',
    required: ['errorCode'],
    properties: {
      errorCode: { type: 'string', description: 'The error code matched against error catch events.' },
      errorMessage: { type: 'string', nullable: true, description: 'Context for the error.' },
      variables: variables('Variables for the local scope of the catching error event.'),
    },
  },

  JobUpdateRequest: {
    type: 'object',
    required: ['changeset'],
    properties: {
      changeset: {
        type: 'object',
        description: 'The job attributes to change; at least one must be given.',
        properties: {
          retries: {
            type: 'integer',
            format: 'int32',
            nullable: true,
            description: 'The new number of retries (1 or more).',
          },
          timeout: {
            type: 'integer',
            format: 'int64',
            nullable: true,
            description: 'The new activation timeout in ms, counted from now.',
          },
        },
      },
      operationReference,
    },
  },

  MessagePublicationRequest: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', description: 'The name of the message.' },
      correlationKey: { type: 'string', default: '', description: 'The correlation key of the message.' },
      timeToLive: {
        type: 'integer',
        format: 'int64',
        default: 0,
        description: 'How long (ms) the message is buffered for subscriptions opened later.',
      },
      messageId: {
        type: 'string',
        description: 'A unique ID: a second message with the same ID is rejected while the first is buffered.',
      },
      variables: variables('The message variables.'),
      tenantId,
    },
  },

  MessageCorrelationRequest: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string', description: 'The name of the message.' },
      correlationKey: { type: 'string', default: '', description: 'The correlation key of the message.' },
      variables: variables('The message variables.'),
      tenantId,
    },
  },

  ConditionalEvaluationInstruction: {
    type: 'object',
    required: ['variables'],
    properties: {
      variables: {
        type: 'object',
        additionalProperties: true,
        description: 'The variables the conditions are evaluated with, and the variables of the instances they start.',
      },
      processDefinitionKey: keySchema('Evaluate only the conditional start events of this process definition.'),
      tenantId,
    },
  },

  DecisionEvaluationInstruction: {
    type: 'object',
    description: 'Names the decision by decisionDefinitionKey (one version) or by decisionDefinitionId (its latest version).',
    properties: {
      decisionDefinitionId: { type: 'string', description: 'The id of the decision; its latest version is evaluated.' },
      decisionDefinitionKey: keySchema('The key of the decision version to evaluate.'),
      variables: { type: 'object', additionalProperties: true, description: 'The inputs of the decision, by name.' },
      tenantId,
    },
  },

  ClockPinRequest: {
    type: 'object',
    required: ['timestamp'],
    properties: {
      timestamp: {
        type: 'integer',
        format: 'int64',
        minimum: 0,
        description: 'The exact time in epoch milliseconds to which the clock should be pinned.',
      },
    },
  },

  SignalBroadcastRequest: {
    type: 'object',
    required: ['signalName'],
    properties: {
      signalName: { type: 'string', description: 'The name of the signal.' },
      variables: variables('The signal variables.'),
      tenantId,
    },
  },

  AdHocSubProcessActivateActivitiesInstruction: {
    type: 'object',
    required: ['elements'],
    properties: {
      elements: {
        type: 'array',
        minItems: 1,
        description: 'Activities to activate.',
        items: {
          type: 'object',
          required: ['elementId'],
          properties: {
            elementId: { type: 'string', minLength: 1, description: 'The id of the element to activate.' },
            variables: variables('Variables for the new inner instance of the element (local to it).'),
          },
        },
      },
      cancelRemainingInstances: {
        type: 'boolean',
        default: false,
        description: 'Accepted for compatibility; as in Zeebe 8.8, the model\'s cancelRemainingInstances decides.',
      },
    },
  },

  SetVariableRequest: {
    type: 'object',
    required: ['variables'],
    properties: {
      variables: { type: 'object', additionalProperties: true, description: 'The variables to set.' },
      local: {
        type: 'boolean',
        default: false,
        description:
          'true: set all variables in the given scope; false: update each variable where it is visible, ' +
          'creating new ones in the root scope.',
      },
      operationReference,
    },
  },

  IncidentResolutionRequest: {
    type: 'object',
    nullable: true,
    properties: { operationReference },
  },

  ProcessInstanceModificationInstruction: {
    type: 'object',
    properties: {
      operationReference,
      activateInstructions: {
        type: 'array',
        description: 'Elements to activate, each in an instance of its flow scope (created when none runs), with the variables to create.',
        items: {
          type: 'object',
          required: ['elementId'],
          properties: {
            elementId: { type: 'string', description: 'The ID of the element to activate.' },
            ancestorElementInstanceKey: {
              anyOf: [{ type: 'string', pattern: KEY_PATTERN }, { type: 'integer' }],
              description:
                'The ancestor element instance to activate the element in; -1 or absent: the one running instance of its flow scope, or a new one.',
            },
            variableInstructions: {
              type: 'array',
              items: {
                type: 'object',
                required: ['variables'],
                properties: {
                  variables: { type: 'object', additionalProperties: true, description: 'The variables to create.' },
                  scopeId: { type: 'string', description: "The element in whose scope they are created; empty: the process instance's." },
                },
              },
            },
          },
        },
      },
      terminateInstructions: {
        type: 'array',
        description: 'Element instances to terminate; a scope left with nothing running is terminated too.',
        items: {
          type: 'object',
          required: ['elementInstanceKey'],
          properties: { elementInstanceKey: keySchema('The key of the element instance to terminate.') },
        },
      },
    },
  },

  ProcessInstanceMigrationInstruction: {
    type: 'object',
    required: ['targetProcessDefinitionKey', 'mappingInstructions'],
    properties: {
      operationReference,
      targetProcessDefinitionKey: keySchema('The key of the process definition to migrate the process instance to.'),
      mappingInstructions: {
        type: 'array',
        description: 'Element mappings from the source process instance to the target process definition; every active element needs one.',
        items: {
          type: 'object',
          required: ['sourceElementId', 'targetElementId'],
          properties: {
            sourceElementId: { type: 'string', description: 'The element ID to migrate from.' },
            targetElementId: { type: 'string', description: 'The element ID to migrate into.' },
          },
        },
      },
    },
  },

  ProcessInstanceCancellationBatchOperationRequest: {
    type: 'object',
    required: ['filter'],
    properties: { filter: { type: 'object', additionalProperties: true, description: 'A process instance search filter: its running instances are canceled.' } },
  },

  ProcessInstanceIncidentResolutionBatchOperationRequest: {
    type: 'object',
    required: ['filter'],
    properties: { filter: { type: 'object', additionalProperties: true, description: 'A process instance search filter: the incidents of its running instances are resolved.' } },
  },

  ProcessInstanceMigrationBatchOperationRequest: {
    type: 'object',
    required: ['filter', 'migrationPlan'],
    properties: {
      filter: { type: 'object', additionalProperties: true, description: 'A process instance search filter: its running instances are migrated.' },
      migrationPlan: {
        type: 'object',
        required: ['targetProcessDefinitionKey', 'mappingInstructions'],
        properties: {
          targetProcessDefinitionKey: keySchema('The key of the process definition to migrate the process instances to.'),
          mappingInstructions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['sourceElementId', 'targetElementId'],
              properties: { sourceElementId: { type: 'string' }, targetElementId: { type: 'string' } },
            },
          },
        },
      },
    },
  },

  ProcessInstanceModificationBatchOperationRequest: {
    type: 'object',
    required: ['filter', 'moveInstructions'],
    properties: {
      filter: { type: 'object', additionalProperties: true, description: 'A process instance search filter: its running instances are modified.' },
      moveInstructions: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['sourceElementId', 'targetElementId'],
          properties: { sourceElementId: { type: 'string' }, targetElementId: { type: 'string' } },
        },
      },
    },
  },

  DeleteResourceRequest: {
    type: 'object',
    nullable: true,
    properties: { operationReference },
  },
} as const satisfies Record<string, JsonSchema>;

/** The multipart body of a deployment; documented only (the adapter parses multipart itself). */
export const DEPLOYMENT_REQUEST_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['resources'],
  properties: {
    resources: {
      type: 'array',
      items: { type: 'string', format: 'binary' },
      description:
        'The resources (BPMN files, .form files) to deploy, one file part each; the part filename becomes the resource name. ' +
        'Every file part is a resource, whatever its field name.',
    },
    tenantId,
  },
};

// ---------------------------------------------------------------------------------------------
// Responses (documentation only)

export const RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  ProblemDetail: {
    type: 'object',
    description: 'A problem detail object as described in RFC 9457.',
    required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { type: 'string', format: 'uri', default: 'about:blank', description: 'A URI identifying the problem type.' },
      title: {
        type: 'string',
        description: 'The error code, such as NOT_FOUND, INVALID_ARGUMENT, INVALID_STATE or RESOURCE_EXHAUSTED.',
      },
      status: { type: 'integer', format: 'int32', minimum: 400, maximum: 600, description: 'The HTTP status code.' },
      detail: { type: 'string', description: 'What went wrong, naming the key, element or field at fault.' },
      instance: { type: 'string', format: 'uri', description: 'The request path.' },
    },
  },

  TopologyResponse: {
    type: 'object',
    required: ['brokers', 'clusterSize', 'partitionsCount', 'replicationFactor', 'gatewayVersion', 'lastCompletedChangeId'],
    properties: {
      brokers: { type: 'array', items: ref('BrokerInfo'), description: 'The brokers of the cluster.' },
      clusterSize: { type: 'integer', format: 'int32' },
      partitionsCount: { type: 'integer', format: 'int32' },
      replicationFactor: { type: 'integer', format: 'int32' },
      gatewayVersion: { type: 'string' },
      lastCompletedChangeId: { type: 'string', description: 'The last completed cluster change; always "-1" in Zen.' },
    },
  },
  BrokerInfo: {
    type: 'object',
    required: ['nodeId', 'host', 'port', 'partitions', 'version'],
    properties: {
      nodeId: { type: 'integer', format: 'int32' },
      host: { type: 'string' },
      port: { type: 'integer', format: 'int32' },
      partitions: { type: 'array', items: ref('Partition') },
      version: { type: 'string' },
    },
  },
  Partition: {
    type: 'object',
    required: ['partitionId', 'role', 'health'],
    properties: {
      partitionId: { type: 'integer', format: 'int32' },
      role: { type: 'string', enum: ['leader', 'follower', 'inactive'] },
      health: { type: 'string', enum: ['healthy', 'unhealthy', 'dead'] },
    },
  },

  DeploymentResult: {
    type: 'object',
    required: ['deploymentKey', 'tenantId', 'deployments'],
    properties: {
      deploymentKey: keySchema('The key of the deployment.'),
      tenantId: { type: 'string' },
      deployments: { type: 'array', items: ref('DeploymentMetadataResult') },
    },
  },
  DeploymentMetadataResult: {
    type: 'object',
    properties: { processDefinition: ref('DeploymentProcessResult'), form: ref('DeploymentFormResult') },
  },
  DeploymentFormResult: {
    type: 'object',
    required: ['formId', 'version', 'resourceName', 'tenantId', 'formKey'],
    properties: {
      formId: { type: 'string', description: 'The id of the form (its JSON `id`).' },
      version: { type: 'integer', format: 'int32' },
      resourceName: { type: 'string' },
      tenantId: { type: 'string' },
      formKey: keySchema('The key of the form.'),
    },
  },
  DeploymentProcessResult: {
    type: 'object',
    required: ['processDefinitionId', 'processDefinitionVersion', 'resourceName', 'tenantId', 'processDefinitionKey'],
    properties: {
      processDefinitionId: { type: 'string', description: 'The BPMN process ID.' },
      processDefinitionVersion: { type: 'integer', format: 'int32' },
      resourceName: { type: 'string' },
      tenantId: { type: 'string' },
      processDefinitionKey: keySchema('The key of the process definition.'),
    },
  },

  CreateProcessInstanceResult: {
    type: 'object',
    required: [
      'processDefinitionId',
      'processDefinitionVersion',
      'tenantId',
      'variables',
      'processDefinitionKey',
      'processInstanceKey',
    ],
    properties: {
      processDefinitionId: { type: 'string' },
      processDefinitionVersion: { type: 'integer', format: 'int32' },
      tenantId: { type: 'string' },
      variables: {
        type: 'object',
        additionalProperties: true,
        description: 'With awaitCompletion: the variables of the completed instance; otherwise empty.',
      },
      processDefinitionKey: keySchema('The key of the process definition the instance was created from.'),
      processInstanceKey: keySchema('The key of the new process instance.'),
    },
  },

  ProcessInstanceResult: {
    type: 'object',
    required: ['processInstanceKey', 'processDefinitionKey', 'processDefinitionId', 'processDefinitionVersion', 'state', 'hasIncident', 'tenantId', 'activeElements'],
    properties: {
      processInstanceKey: keySchema('The key of the process instance.'),
      processDefinitionKey: keySchema('The key of its process definition.'),
      processDefinitionId: { type: 'string', description: 'The BPMN process ID of its process definition.' },
      processDefinitionVersion: { type: 'integer', format: 'int32' },
      state: { type: 'string', enum: ['ACTIVE'], description: 'Always ACTIVE: Zen keeps runtime state only; completed and cancelled instances are not found.' },
      hasIncident: { type: 'boolean', description: 'Whether an element of the instance (or its job) has an open incident.' },
      tenantId: { type: 'string' },
      parentProcessInstanceKey: keySchema('The instance that started this one; absent for instances created directly.'),
      parentElementInstanceKey: keySchema('The element instance that started this one; absent for instances created directly.'),
      activeElements: {
        type: 'array',
        description: 'Zen extension: the element instances currently active in the instance.',
        items: {
          type: 'object',
          required: ['elementInstanceKey', 'elementId', 'type', 'state'],
          properties: {
            elementInstanceKey: keySchema('The key of the element instance.'),
            elementId: { type: 'string' },
            type: { type: 'string', description: 'The BPMN element type, as Camunda spells it (SERVICE_TASK, ...).' },
            state: { type: 'string', description: 'ACTIVATING, ACTIVATED, COMPLETING or TERMINATING.' },
          },
        },
      },
    },
  },

  JobActivationResult: {
    type: 'object',
    required: ['jobs'],
    properties: { jobs: { type: 'array', items: ref('ActivatedJobResult') } },
  },
  ActivatedJobResult: {
    type: 'object',
    required: [
      'type',
      'processDefinitionId',
      'processDefinitionVersion',
      'elementId',
      'customHeaders',
      'worker',
      'retries',
      'deadline',
      'variables',
      'tenantId',
      'jobKey',
      'processInstanceKey',
      'processDefinitionKey',
      'elementInstanceKey',
      'kind',
      'listenerEventType',
    ],
    properties: {
      type: { type: 'string' },
      processDefinitionId: { type: 'string' },
      processDefinitionVersion: { type: 'integer', format: 'int32' },
      elementId: { type: 'string' },
      customHeaders: { type: 'object', additionalProperties: true },
      worker: { type: 'string' },
      retries: { type: 'integer', format: 'int32' },
      deadline: { type: 'integer', format: 'int64', description: 'When the activation times out, in epoch ms.' },
      variables: { type: 'object', additionalProperties: true },
      tenantId: { type: 'string' },
      jobKey: keySchema('The key of the job.'),
      processInstanceKey: keySchema("The key of the job's process instance."),
      processDefinitionKey: keySchema("The key of the job's process definition."),
      elementInstanceKey: keySchema("The key of the job's element instance."),
      kind: {
        type: 'string',
        enum: ['BPMN_ELEMENT', 'EXECUTION_LISTENER', 'TASK_LISTENER', 'AD_HOC_SUB_PROCESS'],
        description: 'BPMN_ELEMENT, or TASK_LISTENER for the job of a user task listener.',
      },
      listenerEventType: {
        type: 'string',
        enum: ['ASSIGNING', 'CANCELING', 'COMPLETING', 'CREATING', 'END', 'START', 'UNSPECIFIED', 'UPDATING'],
        description: 'The user task event of a TASK_LISTENER job; UNSPECIFIED otherwise.',
      },
      userTask: {
        type: 'object',
        description: 'TASK_LISTENER jobs: the user task as the listener sees it.',
        properties: {
          userTaskKey: keySchema('The key of the user task.'),
          action: { type: 'string' },
          assignee: { type: 'string', nullable: true },
          candidateGroups: { type: 'array', items: { type: 'string' } },
          candidateUsers: { type: 'array', items: { type: 'string' } },
          changedAttributes: { type: 'array', items: { type: 'string' } },
          dueDate: { type: 'string', nullable: true },
          followUpDate: { type: 'string', nullable: true },
          formKey: keySchema('The key of the linked form.'),
          priority: { type: 'integer', format: 'int32', nullable: true },
        },
      },
    },
  },

  UserTaskResult: {
    type: 'object',
    required: ['userTaskKey', 'state', 'elementId', 'elementInstanceKey', 'processInstanceKey', 'processDefinitionKey', 'processDefinitionId', 'tenantId'],
    properties: {
      userTaskKey: keySchema('The key of the user task.'),
      name: { type: 'string', description: 'The name of the user task element.' },
      state: {
        type: 'string',
        enum: ['CREATING', 'CREATED', 'ASSIGNING', 'UPDATING', 'COMPLETING', 'COMPLETED', 'CANCELING', 'CANCELED'],
        description: 'Completed and canceled tasks are answered from the history.',
      },
      assignee: { type: 'string' },
      candidateGroups: { type: 'array', items: { type: 'string' } },
      candidateUsers: { type: 'array', items: { type: 'string' } },
      dueDate: { type: 'string' },
      followUpDate: { type: 'string' },
      creationDate: { type: 'string', description: 'ISO 8601.' },
      completionDate: { type: 'string', description: 'ISO 8601; when the task was completed or canceled.' },
      priority: { type: 'integer', format: 'int32' },
      formKey: keySchema('The key of the linked form.'),
      externalFormReference: { type: 'string' },
      customHeaders: { type: 'object', additionalProperties: { type: 'string' } },
      elementId: { type: 'string' },
      elementInstanceKey: keySchema('The key of the element instance.'),
      processInstanceKey: keySchema('The key of the process instance.'),
      processDefinitionKey: keySchema('The key of the process definition.'),
      processDefinitionId: { type: 'string' },
      processDefinitionVersion: { type: 'integer', format: 'int32' },
      processName: { type: 'string' },
      tenantId: { type: 'string' },
    },
  },
  UserTaskSearchQueryResult: {
    type: 'object',
    required: ['items', 'page'],
    properties: {
      items: { type: 'array', items: ref('UserTaskResult') },
      page: ref('SearchQueryPageResponse'),
    },
  },
  FormResult: {
    type: 'object',
    required: ['formKey', 'formId', 'version', 'schema', 'tenantId'],
    properties: {
      formKey: keySchema('The key of the form.'),
      formId: { type: 'string' },
      version: { type: 'integer', format: 'int64' },
      schema: { type: 'object', additionalProperties: true, description: 'The form-js document as deployed.' },
      tenantId: { type: 'string' },
    },
  },

  EvaluateDecisionResult: {
    type: 'object',
    required: ['decisionDefinitionId', 'decisionDefinitionKey', 'decisionEvaluationKey', 'output', 'evaluatedDecisions'],
    properties: {
      decisionDefinitionId: { type: 'string' },
      decisionDefinitionName: { type: 'string' },
      decisionDefinitionVersion: { type: 'integer' },
      decisionRequirementsId: { type: 'string' },
      output: { type: 'string', description: 'The result as JSON text.' },
      failedDecisionDefinitionId: { type: 'string' },
      failureMessage: { type: 'string' },
      tenantId: { type: 'string' },
      decisionDefinitionKey: keySchema('The key of the decision evaluated.'),
      decisionRequirementsKey: keySchema('The key of its decision requirements.'),
      decisionInstanceKey: keySchema('The key of the evaluation (as decisionEvaluationKey).'),
      decisionEvaluationKey: keySchema('The key of the evaluation.'),
      evaluatedDecisions: {
        type: 'array',
        description: 'Every decision evaluated, required decisions first.',
        items: { type: 'object', additionalProperties: true },
      },
    },
  },

  EvaluateConditionalResult: {
    type: 'object',
    required: ['conditionalEvaluationKey', 'tenantId', 'processInstances'],
    properties: {
      conditionalEvaluationKey: keySchema('The key of the evaluation.'),
      tenantId: { type: 'string' },
      processInstances: {
        type: 'array',
        description: 'The instances started; empty when no condition was true.',
        items: {
          type: 'object',
          required: ['processDefinitionKey', 'processInstanceKey'],
          properties: {
            processDefinitionKey: keySchema('The key of the process definition the instance was started from.'),
            processInstanceKey: keySchema('The key of the started process instance.'),
          },
        },
      },
    },
  },

  SignalBroadcastResult: {
    type: 'object',
    required: ['signalKey', 'tenantId'],
    properties: {
      signalKey: keySchema('The key of the broadcast signal.'),
      tenantId: { type: 'string' },
    },
  },

  MessageCorrelationResult: {
    type: 'object',
    required: ['messageKey', 'tenantId', 'processInstanceKey'],
    properties: {
      messageKey: keySchema('The key of the correlated message.'),
      tenantId: { type: 'string' },
      processInstanceKey: keySchema('The key of the first process instance the message correlated with.'),
    },
  },

  MessagePublicationResult: {
    type: 'object',
    required: ['messageKey', 'tenantId'],
    properties: {
      messageKey: keySchema('The key of the published message.'),
      tenantId: { type: 'string' },
    },
  },
  BatchOperationCreatedResult: {
    type: 'object',
    required: ['batchOperationKey', 'batchOperationType'],
    properties: {
      batchOperationKey: keySchema('The key of the batch operation.'),
      batchOperationType: { type: 'string', enum: ['CANCEL_PROCESS_INSTANCE', 'RESOLVE_INCIDENT', 'MIGRATE_PROCESS_INSTANCE', 'MODIFY_PROCESS_INSTANCE'] },
    },
  },
};
