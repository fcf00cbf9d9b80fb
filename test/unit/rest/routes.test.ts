/** Each implemented operation: request fields to the ZenApi call, and the result to Camunda's shape. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  ActivateAdHocActivitiesRequest,
  ActivateJobsRequest,
  CreateInstanceRequest,
  CreateInstanceWithResultRequest,
  FailJobRequest,
  MigrateInstanceRequest,
  ModifyInstanceRequest,
  PublishMessageRequest,
  CorrelateMessageRequest,
  SetVariablesRequest,
  ThrowErrorRequest,
} from '../../../src/node/api.js';
import { HUGE_KEY, KEYS, makeJob } from '../../support/fake-api.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

describe('GET /v2/topology', () => {
  it('answers Camunda 8.8 field names with lower-case roles and health', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: '/v2/topology' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      brokers: [
        {
          nodeId: 0,
          host: '127.0.0.1',
          port: 26501,
          version: '0.1.0',
          partitions: [
            { partitionId: 1, role: 'leader', health: 'healthy' },
            { partitionId: 2, role: 'follower', health: 'unhealthy' },
            { partitionId: 3, role: 'inactive', health: 'dead' },
          ],
        },
      ],
      clusterSize: 1,
      partitionsCount: 3,
      replicationFactor: 1,
      gatewayVersion: '0.1.0',
      lastCompletedChangeId: '-1',
    });
  });
});

describe('GET /v2/status', () => {
  it('answers 204 while a partition has a healthy leader', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: '/v2/status' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
  });

  it('answers 503 when no partition has a healthy leader', async () => {
    const { server, api } = harness();
    api.topologyResult = {
      ...api.topologyResult,
      brokers: [{ ...api.topologyResult.brokers[0]!, partitions: [{ partitionId: 1, role: 'LEADER', health: 'UNHEALTHY' }] }],
    };
    const res = await server.app.inject({ method: 'GET', url: '/v2/status' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ title: 'UNAVAILABLE', status: 503 });
  });
});

describe('POST /v2/process-instances', () => {
  it('creates by processDefinitionId and version with variables', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      ...json({ processDefinitionId: 'order', processDefinitionVersion: 3, variables: { amount: 42, nested: { a: [1] } } }),
    });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<CreateInstanceRequest>('createProcessInstance')).toEqual({
      bpmnProcessId: 'order',
      processDefinitionKey: null,
      version: 3,
      variables: { amount: 42, nested: { a: [1] } },
      tenantId: '<default>',
    });
    expect(res.json()).toEqual({
      processDefinitionId: 'order',
      processDefinitionVersion: 3,
      tenantId: '<default>',
      variables: {},
      processDefinitionKey: String(KEYS.processDefinition),
      processInstanceKey: String(KEYS.processInstance),
    });
  });

  it('defaults the version to the latest (-1) and variables to none', async () => {
    const { server, api } = harness();
    await server.app.inject({ method: 'POST', url: '/v2/process-instances', ...json({ processDefinitionId: 'order' }) });
    expect(api.lastArg<CreateInstanceRequest>('createProcessInstance')).toMatchObject({ version: -1, variables: {} });
  });

  it('keeps integer variables beyond 2^53 exact (as bigint), like Zeebe\'s int64', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      payload: '{"processDefinitionId":"order","variables":{"id":9007199254740993,"n":1.5,"s":"12345678901234567890"}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<CreateInstanceRequest>('createProcessInstance').variables).toEqual({ id: 9007199254740993n, n: 1.5, s: '12345678901234567890' });
  });

  it('creates by processDefinitionKey, parsed exactly beyond 2^53', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      ...json({ processDefinitionKey: String(HUGE_KEY), tenantId: '<default>' }),
    });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<CreateInstanceRequest>('createProcessInstance')).toMatchObject({
      bpmnProcessId: null,
      processDefinitionKey: HUGE_KEY,
      version: -1,
    });
    expect(res.json().processDefinitionKey).toBe('9223372036854775807');
    // The raw text carries the key as a string, never a rounded number.
    expect(res.body).toContain('"processDefinitionKey":"9223372036854775807"');
  });

  it('with awaitCompletion waits for the result and returns its variables, bigints exact', async () => {
    const { server, api } = harness({ timeouts: { requestMs: 1234 } });
    api.resultExtras = { big: HUGE_KEY };
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      ...json({ processDefinitionId: 'order', awaitCompletion: true, fetchVariables: ['done'], variables: { x: 1 } }),
    });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<CreateInstanceWithResultRequest>('createProcessInstanceWithResult')).toMatchObject({
      bpmnProcessId: 'order',
      requestTimeoutMs: 1234,
      fetchVariables: ['done'],
      variables: { x: 1 },
    });
    expect(res.body).toContain('"big":9223372036854775807');
    expect(res.json().variables).toMatchObject({ x: 1, done: true });
    expect(api.argsOf('createProcessInstance')).toHaveLength(0);
  });

  it('uses a positive requestTimeout as given', async () => {
    const { server, api } = harness();
    await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      ...json({ processDefinitionId: 'order', awaitCompletion: true, requestTimeout: 5000 }),
    });
    expect(api.lastArg<CreateInstanceWithResultRequest>('createProcessInstanceWithResult').requestTimeoutMs).toBe(5000);
  });

  it('answers 504 when the instance does not complete in time', async () => {
    const { server, api } = harness();
    const { ZenError } = await import('../../../src/errors.js');
    api.failNext('createProcessInstanceWithResult', new ZenError('DEADLINE_EXCEEDED', 'Process instance did not complete within 300 ms'));
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      ...json({ processDefinitionId: 'order', awaitCompletion: true }),
    });
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ title: 'DEADLINE_EXCEEDED', detail: 'Process instance did not complete within 300 ms' });
  });
});

describe('POST /v2/process-instances/{processInstanceKey}/cancellation', () => {
  it.each([
    ['no body', {}],
    ['an empty JSON body', { payload: '', headers: { 'content-type': 'application/json' } }],
    ['an operationReference', json({ operationReference: 7 })],
  ])('cancels with %s, the key exact', async (_name, extra) => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/process-instances/${HUGE_KEY}/cancellation`, ...extra });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(api.lastArg('cancelProcessInstance')).toBe(HUGE_KEY);
  });
});

describe('POST /v2/process-instances/{processInstanceKey}/modification', () => {
  it('maps activate instructions (-1 or absent: no ancestor) with variables per scope, and terminate instructions', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/process-instances/${HUGE_KEY}/modification`,
      ...json({
        activateInstructions: [
          { elementId: 'a', ancestorElementInstanceKey: '-1', variableInstructions: [{ variables: { x: 1 } }, { scopeId: 'sub', variables: { y: 2 } }] },
          { elementId: 'b', ancestorElementInstanceKey: '2251799813685254' },
          { elementId: 'c' },
        ],
        terminateInstructions: [{ elementInstanceKey: '2251799813685253' }],
      }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<ModifyInstanceRequest>('modifyProcessInstance')).toEqual({
      processInstanceKey: HUGE_KEY,
      activateInstructions: [
        { elementId: 'a', ancestorElementInstanceKey: null, variableInstructions: [{ scopeId: '', variables: { x: 1 } }, { scopeId: 'sub', variables: { y: 2 } }] },
        { elementId: 'b', ancestorElementInstanceKey: 2251799813685254n, variableInstructions: [] },
        { elementId: 'c', ancestorElementInstanceKey: null, variableInstructions: [] },
      ],
      terminateInstructions: [2251799813685253n],
    });
  });

  it('refuses an activate instruction without its element, naming the field', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/process-instances/${HUGE_KEY}/modification`, ...json({ activateInstructions: [{ elementId: ' ' }] }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('activateInstructions[0].elementId');
  });
});

describe('POST /v2/process-instances/{processInstanceKey}/migration', () => {
  it('maps the target definition and the mapping instructions, keys exact', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/process-instances/${HUGE_KEY}/migration`,
      ...json({ targetProcessDefinitionKey: '2251799813685250', mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a2' }] }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<MigrateInstanceRequest>('migrateProcessInstance')).toEqual({
      processInstanceKey: HUGE_KEY,
      targetProcessDefinitionKey: 2251799813685250n,
      mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a2' }],
    });
  });

  it('requires the target definition', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/process-instances/${HUGE_KEY}/migration`, ...json({ mappingInstructions: [] }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('targetProcessDefinitionKey');
  });
});

describe('POST /v2/resources/{resourceKey}/deletion', () => {
  it('deletes with or without a body, the key exact', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/resources/${HUGE_KEY}/deletion` });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg('deleteResource')).toBe(HUGE_KEY);
    const withBody = await server.app.inject({ method: 'POST', url: `/v2/resources/${KEYS.processDefinition}/deletion`, ...json({ operationReference: 3 }) });
    expect(withBody.statusCode).toBe(200);
    expect(api.lastArg('deleteResource')).toBe(KEYS.processDefinition);
  });
});

describe('GET /v2/process-instances/{processInstanceKey}', () => {
  it('answers the instance in Camunda shape with its active elements and who served it', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'GET', url: `/v2/process-instances/${HUGE_KEY}` });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg('getProcessInstance')).toBe(HUGE_KEY);
    expect(res.headers['zen-served-by']).toBe('2/FOLLOWER');
    expect(res.json()).toEqual({
      processInstanceKey: String(HUGE_KEY),
      processDefinitionKey: String(KEYS.processDefinition),
      processDefinitionId: 'order',
      processDefinitionVersion: 3,
      state: 'ACTIVE',
      hasIncident: true,
      tenantId: '<default>',
      activeElements: [{ elementInstanceKey: String(HUGE_KEY + 1n), elementId: 'ship', type: 'SERVICE_TASK', state: 'ACTIVATED' }],
    });
  });

  it('refuses a key that is not a number', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'GET', url: '/v2/process-instances/abc' });
    expect(res.statusCode).toBe(400);
    expect(api.argsOf('getProcessInstance')).toHaveLength(0);
  });
});

describe('POST /v2/jobs/activation', () => {
  it('maps the request and answers the jobs in Camunda 8.8 shape', async () => {
    const { server, api } = harness();
    api.addJob(makeJob({ key: HUGE_KEY, variables: { amount: 42, id: HUGE_KEY } }));
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/jobs/activation',
      ...json({ type: 'payment', worker: 'w1', timeout: 30000, maxJobsToActivate: 5, fetchVariable: ['amount'], requestTimeout: 2000 }),
    });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<ActivateJobsRequest>('activateJobs')).toEqual({
      type: 'payment',
      worker: 'w1',
      timeoutMs: 30000,
      maxJobsToActivate: 5,
      fetchVariables: ['amount'],
      requestTimeoutMs: 2000,
      tenantIds: ['<default>'],
    });
    expect(res.json()).toEqual({
      jobs: [
        {
          type: 'payment',
          processDefinitionId: 'order',
          processDefinitionVersion: 3,
          elementId: 'charge',
          customHeaders: { method: 'card' },
          worker: 'w1',
          retries: 3,
          deadline: 1_700_000_000_123,
          variables: { amount: 42, id: 9223372036854775807 },
          tenantId: '<default>',
          jobKey: '9223372036854775807',
          processInstanceKey: String(KEYS.processInstance),
          processDefinitionKey: String(KEYS.processDefinition),
          elementInstanceKey: String(KEYS.elementInstance),
          kind: 'BPMN_ELEMENT',
          listenerEventType: 'UNSPECIFIED',
        },
      ],
    });
    expect(res.body).toContain('"id":9223372036854775807');
  });

  it.each([
    [0, 250],
    [-1, 0],
    [777, 777],
  ])('requestTimeout %d long-polls for %d ms (0 = server default, < 0 = none)', async (requestTimeout, expected) => {
    const { server, api } = harness({ timeouts: { longPollingMs: 250 } });
    api.addJob(makeJob());
    await server.app.inject({
      method: 'POST',
      url: '/v2/jobs/activation',
      ...json({ type: 'payment', timeout: 1000, maxJobsToActivate: 1, requestTimeout }),
    });
    expect(api.lastArg<ActivateJobsRequest>('activateJobs').requestTimeoutMs).toBe(expected);
  });

  it('defaults worker to empty, fetchVariable to all, requestTimeout to the server default', async () => {
    const { server, api } = harness({ timeouts: { longPollingMs: 20 } });
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/jobs/activation',
      ...json({ type: 'payment', timeout: 1000, maxJobsToActivate: 1 }),
    });
    expect(res.json()).toEqual({ jobs: [] });
    expect(api.lastArg<ActivateJobsRequest>('activateJobs')).toMatchObject({
      worker: '',
      fetchVariables: [],
      requestTimeoutMs: 20,
    });
  });

  it('holds the request until a job appears', async () => {
    const { server, api } = harness();
    const pending = server.app.inject({
      method: 'POST',
      url: '/v2/jobs/activation',
      ...json({ type: 'payment', timeout: 1000, maxJobsToActivate: 1, requestTimeout: 5000 }),
    });
    await vi.waitFor(() => expect(api.polls).toHaveLength(1));
    api.addJob(makeJob());
    const res = await pending;
    expect(res.json().jobs).toHaveLength(1);
  });
});

describe('job commands', () => {
  it('POST /v2/jobs/{jobKey}/completion completes with variables', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/jobs/${HUGE_KEY}/completion`,
      ...json({ variables: { ok: true } }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.argsOf('completeJob')).toEqual([[HUGE_KEY, { ok: true }]]);
  });

  it.each([
    ['no body', {}],
    ['null variables', json({ variables: null })],
  ])('POST /v2/jobs/{jobKey}/completion with %s completes with no variables', async (_name, extra) => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/jobs/${KEYS.job}/completion`, ...extra });
    expect(res.statusCode).toBe(204);
    expect(api.argsOf('completeJob')).toEqual([[KEYS.job, {}]]);
  });

  it('POST /v2/jobs/{jobKey}/failure maps retries, message, back-off and variables', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/jobs/${KEYS.job}/failure`,
      ...json({ retries: 2, errorMessage: 'card declined', retryBackOff: 5000, variables: { attempt: 1 } }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<FailJobRequest>('failJob')).toEqual({
      jobKey: KEYS.job,
      retries: 2,
      errorMessage: 'card declined',
      retryBackOffMs: 5000,
      variables: { attempt: 1 },
    });
  });

  it('POST /v2/jobs/{jobKey}/failure defaults to 0 retries, no message, no back-off', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/jobs/${KEYS.job}/failure` });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<FailJobRequest>('failJob')).toEqual({
      jobKey: KEYS.job,
      retries: 0,
      errorMessage: '',
      retryBackOffMs: 0,
      variables: {},
    });
  });

  it('POST /v2/jobs/{jobKey}/error throws the error code', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/jobs/${KEYS.job}/error`,
      ...json({ errorCode: 'NO_FUNDS', errorMessage: null, variables: { reason: 'x' } }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<ThrowErrorRequest>('throwError')).toEqual({
      jobKey: KEYS.job,
      errorCode: 'NO_FUNDS',
      errorMessage: '',
      variables: { reason: 'x' },
    });
  });

  it('PATCH /v2/jobs/{jobKey} updates retries and timeout', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'PATCH',
      url: `/v2/jobs/${HUGE_KEY}`,
      ...json({ changeset: { retries: 4, timeout: 60000 } }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.argsOf('updateJobRetries')).toEqual([[HUGE_KEY, 4]]);
    expect(api.argsOf('updateJobTimeout')).toEqual([[HUGE_KEY, 60000]]);
  });

  it('PATCH /v2/jobs/{jobKey} with only a timeout leaves retries alone', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'PATCH',
      url: `/v2/jobs/${KEYS.job}`,
      ...json({ changeset: { retries: null, timeout: 100 } }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.argsOf('updateJobRetries')).toEqual([]);
    expect(api.argsOf('updateJobTimeout')).toEqual([[KEYS.job, 100]]);
  });
});

describe('POST /v2/messages/publication', () => {
  it('publishes with every field and answers the message key', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      ...json({
        name: 'paid',
        correlationKey: 'order-1',
        timeToLive: 60000,
        messageId: 'm-1',
        variables: { paid: true },
        tenantId: '<default>',
      }),
    });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<PublishMessageRequest>('publishMessage')).toEqual({
      name: 'paid',
      correlationKey: 'order-1',
      timeToLiveMs: 60000,
      messageId: 'm-1',
      variables: { paid: true },
      tenantId: '<default>',
    });
    expect(res.json()).toEqual({ tenantId: '<default>', messageKey: String(KEYS.message) });
  });

  it('defaults correlation key, TTL and message id to empty', async () => {
    const { server, api } = harness();
    await server.app.inject({ method: 'POST', url: '/v2/messages/publication', ...json({ name: 'start' }) });
    expect(api.lastArg<PublishMessageRequest>('publishMessage')).toEqual({
      name: 'start',
      correlationKey: '',
      timeToLiveMs: 0,
      messageId: '',
      variables: {},
      tenantId: '<default>',
    });
  });
});

describe('POST /v2/messages/correlation', () => {
  it('correlates the message and answers with the message and the first instance it reached', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/correlation',
      ...json({ name: 'paid', correlationKey: 'order-1', variables: { paid: true } }),
    });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<CorrelateMessageRequest>('correlateMessage')).toMatchObject({
      name: 'paid',
      correlationKey: 'order-1',
      variables: { paid: true },
      tenantId: '<default>',
    });
    expect(res.json()).toEqual({ tenantId: '<default>', messageKey: String(KEYS.message), processInstanceKey: String(KEYS.processInstance) });
  });

  it('requires a name', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/messages/correlation', ...json({ correlationKey: 'k' }) });
    expect(res.statusCode).toBe(400);
  });
});

describe('PUT /v2/element-instances/{elementInstanceKey}/variables', () => {
  it.each([true, false])('sets variables (local: %s)', async (local) => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'PUT',
      url: `/v2/element-instances/${HUGE_KEY}/variables`,
      ...json({ variables: { a: 1 }, local }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<SetVariablesRequest>('setVariables')).toEqual({ elementInstanceKey: HUGE_KEY, variables: { a: 1 }, local });
  });

  it('defaults local to false', async () => {
    const { server, api } = harness();
    await server.app.inject({ method: 'PUT', url: `/v2/element-instances/${KEYS.elementInstance}/variables`, ...json({ variables: {} }) });
    expect(api.lastArg<SetVariablesRequest>('setVariables').local).toBe(false);
  });
});

describe('POST /v2/incidents/{incidentKey}/resolution', () => {
  it('resolves the incident, with or without a body', async () => {
    const { server, api } = harness();
    expect((await server.app.inject({ method: 'POST', url: `/v2/incidents/${HUGE_KEY}/resolution` })).statusCode).toBe(204);
    expect(
      (await server.app.inject({ method: 'POST', url: `/v2/incidents/${KEYS.incident}/resolution`, ...json({}) })).statusCode,
    ).toBe(204);
    expect(api.argsOf('resolveIncident')).toEqual([[HUGE_KEY], [KEYS.incident]]);
  });
});

describe('POST /v2/element-instances/ad-hoc-activities/{key}/activation', () => {
  it('maps the elements with their variables', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: `/v2/element-instances/ad-hoc-activities/${HUGE_KEY}/activation`,
      ...json({ elements: [{ elementId: 'a', variables: { q: 1 } }, { elementId: 'b' }] }),
    });
    expect(res.statusCode).toBe(204);
    expect(api.lastArg<ActivateAdHocActivitiesRequest>('activateAdHocActivities')).toEqual({
      adHocSubProcessInstanceKey: HUGE_KEY,
      elements: [
        { elementId: 'a', variables: { q: 1 } },
        { elementId: 'b', variables: {} },
      ],
      cancelRemainingInstances: false,
    });
  });

  it('refuses a request without elements', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/element-instances/ad-hoc-activities/${KEYS.elementInstance}/activation`, ...json({ elements: [] }) });
    expect(res.statusCode).toBe(400);
    expect(api.argsOf('activateAdHocActivities')).toEqual([]);
  });
});
