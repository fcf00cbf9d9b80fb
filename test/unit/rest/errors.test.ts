/** Validation, problem details, limits, and what the server answers for operations it does not serve. */
import { afterEach, describe, expect, it } from 'vitest';
import { ZenError, type ErrorCode } from '../../../src/errors.js';
import { KEYS } from '../../support/fake-api.js';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
const ACTIVATE = { type: 'payment', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 };

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, title: string, instance: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'status', 'title', 'type']);
  expect(body).toMatchObject({ type: 'about:blank', title, status, instance });
  expect(typeof body.detail).toBe('string');
  return body.detail as string;
}

describe('problem details from the catalogue', () => {
  it.each<[ErrorCode, number, string]>([
    ['NOT_FOUND', 404, 'NOT_FOUND'],
    ['INVALID_ARGUMENT', 400, 'INVALID_ARGUMENT'],
    ['FAILED_PRECONDITION', 409, 'INVALID_STATE'],
    ['ALREADY_EXISTS', 409, 'ALREADY_EXISTS'],
    ['RESOURCE_EXHAUSTED', 429, 'RESOURCE_EXHAUSTED'],
    ['DEADLINE_EXCEEDED', 504, 'DEADLINE_EXCEEDED'],
    ['UNAVAILABLE', 503, 'UNAVAILABLE'],
    ['UNIMPLEMENTED', 501, 'UNIMPLEMENTED'],
    ['CANCELLED', 499, 'CANCELLED'],
  ])('%s answers %d with the ZenError message as detail', async (code, status, title) => {
    const { server, api } = harness();
    api.failNext('completeJob', new ZenError(code, `Expected to complete job with key '${KEYS.job}', but it went wrong`));
    const res = await server.app.inject({ method: 'POST', url: `/v2/jobs/${KEYS.job}/completion?x=1` });
    const detail = expectProblem(res, status, title, `/v2/jobs/${KEYS.job}/completion`);
    expect(detail).toBe(`Expected to complete job with key '${KEYS.job}', but it went wrong`);
  });

  it('answers 500 for an unexpected error and logs it with its stack', async () => {
    const { server, api, logger } = harness();
    api.failNext('topology', new TypeError('boom'));
    const res = await server.app.inject({ method: 'GET', url: '/v2/topology' });
    expect(expectProblem(res, 500, 'INTERNAL', '/v2/topology')).toBe('Unexpected error: boom');
    const [line] = logger.at('error');
    expect((line!.obj as { err: unknown }).err).toBeInstanceOf(TypeError);
  });
});

describe('keys', () => {
  it.each([
    ['abc', "expected a numeric key, but it was 'abc'"],
    ['12a', "expected a numeric key, but it was '12a'"],
    ['-5', "expected a numeric key, but it was '-5'"],
    ['0', "expected a key between 1 and 9223372036854775807, but it was '0'"],
    ['9223372036854775808', "expected a key between 1 and 9223372036854775807, but it was '9223372036854775808'"],
    ['1.5', "expected a numeric key, but it was '1.5'"],
  ])('a path key %s is rejected naming the field', async (key, reason) => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url: `/v2/jobs/${key}/completion` });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', `/v2/jobs/${key}/completion`)).toBe(
      `Property 'jobKey' is invalid: ${reason}`,
    );
    expect(api.calls).toHaveLength(0);
  });

  it('a path key too long for the router is a problem too', async () => {
    const { server } = harness();
    const key = '1'.repeat(150);
    const res = await server.app.inject({ method: 'POST', url: `/v2/jobs/${key}/completion` });
    expect(expectProblem(res, 414, 'INVALID_ARGUMENT', `/v2/jobs/${key}/completion`)).toBe(
      'A path parameter is longer than 100 characters; no key is that long',
    );
  });

  it('a malformed URL is a problem too', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/jobs/%zz/completion' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a body key sent as a JSON number is rejected (it may already be rounded)', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/process-instances', ...json({ processDefinitionKey: 42 }) });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', '/v2/process-instances')).toBe(
      'Property \'processDefinitionKey\' is invalid: expected a key as a decimal string (such as "2251799813685249"), but it was the number 42',
    );
  });

  it('a non-numeric body key is rejected naming the field', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/process-instances', ...json({ processDefinitionKey: 'x1' }) });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', '/v2/process-instances')).toBe(
      "Property 'processDefinitionKey' is invalid: expected a numeric key, but it was the string 'x1'",
    );
  });
});

describe('request validation names the field', () => {
  it.each([
    ['/v2/jobs/activation', { timeout: 1000, maxJobsToActivate: 1 }, "Property 'type' is required, but it was not given"],
    ['/v2/jobs/activation', { ...ACTIVATE, timeout: '1000' }, "Property 'timeout' is invalid: expected an integer, but it was the string '1000'"],
    ['/v2/jobs/activation', { ...ACTIVATE, timeout: 0 }, "Property 'timeout' is invalid: expected a job timeout greater than zero, but it was 0"],
    ['/v2/jobs/activation', { ...ACTIVATE, type: ' ' }, "Property 'type' is invalid: expected a non-empty string, but it was blank"],
    ['/v2/jobs/activation', { ...ACTIVATE, maxJobsToActivate: 0 }, "Property 'maxJobsToActivate' is invalid: expected a value greater than zero, but it was 0"],
    ['/v2/jobs/activation', { ...ACTIVATE, fetchVariable: ['a', 1] }, "Property 'fetchVariable[1]' is invalid: expected a string, but it was the number 1"],
    ['/v2/jobs/activation', { ...ACTIVATE, tenantIds: ['t1'] }, "Expected to handle request Activate jobs with tenant identifier 't1', but multi-tenancy is disabled"],
    ['/v2/jobs/activation', [], 'Request body is invalid: expected a JSON object, but it was an array'],
    ['/v2/messages/publication', { name: 'm', variables: [1, 2] }, "Property 'variables' is invalid: expected a JSON object, but it was an array"],
    ['/v2/messages/publication', { name: 'm', variables: 'x' }, "Property 'variables' is invalid: expected a JSON object, but it was the string 'x'"],
    ['/v2/messages/publication', { name: 'm', timeToLive: -1 }, "Property 'timeToLive' is invalid: expected a duration of 0 ms or more, but it was -1"],
    ['/v2/messages/publication', { name: 'm', tenantId: 'acme' }, "Expected to handle request Publish message with tenant identifier 'acme', but multi-tenancy is disabled"],
    ['/v2/messages/publication', { name: '' }, "Property 'name' is invalid: expected a non-empty string, but it was blank"],
    ['/v2/process-instances', { processDefinitionId: ' ' }, "Property 'processDefinitionId' is invalid: expected a non-empty string, but it was blank"],
    ['/v2/process-instances', {}, "Expected either 'processDefinitionId' or 'processDefinitionKey' to be given, but none was"],
    ['/v2/process-instances', { processDefinitionId: 'a', processDefinitionKey: '1' }, "Expected either 'processDefinitionId' or 'processDefinitionKey', but both were given"],
    ['/v2/process-instances', { processDefinitionId: 'a', awaitCompletion: 'yes' }, "Property 'awaitCompletion' is invalid: expected a boolean, but it was the string 'yes'"],
    ['/v2/process-instances', { processDefinitionId: 'a', variables: 5 }, "Property 'variables' is invalid: expected a JSON object, but it was the number 5"],
    [`/v2/jobs/${KEYS.job}/error`, {}, "Property 'errorCode' is required, but it was not given"],
    [`/v2/jobs/${KEYS.job}/error`, { errorCode: '' }, "Property 'errorCode' is invalid: expected a non-empty string, but it was blank"],
    [`/v2/jobs/${KEYS.job}/failure`, { retryBackOff: -5 }, "Property 'retryBackOff' is invalid: expected a duration of 0 ms or more, but it was -5"],
    [`/v2/jobs/${KEYS.job}/completion`, { variables: [] }, "Property 'variables' is invalid: expected a JSON object, but it was an array"],
    [`/v2/incidents/${KEYS.incident}/resolution`, { operationReference: 0 }, "Property 'operationReference' is invalid: must be >= 1, but it was the number 0"],
  ])('POST %s %j', async (url, body, detail) => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url, ...json(body) });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', url)).toBe(detail);
    expect(api.calls).toHaveLength(0);
  });

  it.each([
    [{}, "Property 'changeset' is required, but it was not given"],
    [{ changeset: {} }, "Property 'changeset' is invalid: expected 'retries' or 'timeout' to be given, but none was"],
    [{ changeset: { retries: 0 } }, "Property 'changeset.retries' is invalid: expected retries greater than 0, but it was 0"],
    [{ changeset: { retries: 'x' } }, "Property 'changeset.retries' is invalid: expected an integer, but it was the string 'x'"],
    [{ changeset: { timeout: -1 } }, "Property 'changeset.timeout' is invalid: expected a duration of 0 ms or more, but it was -1"],
  ])('PATCH /v2/jobs/{jobKey} %j', async (body, detail) => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'PATCH', url: `/v2/jobs/${KEYS.job}`, ...json(body) });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', `/v2/jobs/${KEYS.job}`)).toBe(detail);
    expect(api.calls).toHaveLength(0);
  });

  it('PUT element variables requires variables', async () => {
    const { server } = harness();
    const url = `/v2/element-instances/${KEYS.elementInstance}/variables`;
    const res = await server.app.inject({ method: 'PUT', url, ...json({ local: true }) });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', url)).toBe("Property 'variables' is required, but it was not given");
  });

  it('a required body that is missing is named', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/jobs/activation' });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', '/v2/jobs/activation')).toBe(
      'Request body is required, but it was not given',
    );
  });

  it('a body that is not JSON is 400', async () => {
    const { server } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      payload: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(expectProblem(res, 400, 'INVALID_ARGUMENT', '/v2/messages/publication')).toBe('Request body is not valid JSON');
  });

  it('a prototype-poisoning body is refused', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      payload: '{"name":"m","variables":{"__proto__":{"admin":true}}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(api.calls).toHaveLength(0);
  });

  it('another content type is 415', async () => {
    const { server } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      payload: 'name=m',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE', '/v2/messages/publication')).toContain(
      "Content type 'application/x-www-form-urlencoded' is not supported",
    );
  });

  it('JSON with a charset parameter is accepted', async () => {
    const { server } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      payload: '{"name":"m"}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('features Zen does not act on are refused, not ignored', () => {
  it.each([
    ['/v2/process-instances', { processDefinitionId: 'a', runtimeInstructions: [{ type: 'TERMINATE_PROCESS_INSTANCE', afterElementId: 'x' }] }, 'Create process instance with \'runtimeInstructions\' is not supported by Zen yet'],
    ['/v2/process-instances', { processDefinitionId: 'a', tags: ['vip'] }, 'Create process instance with \'tags\' is not supported by Zen yet'],
    [`/v2/jobs/${KEYS.job}/completion`, { result: { type: 'adHocSubProcess', activateElements: [] } }, "Complete job with an 'adHocSubProcess' result is not supported by Zen yet"],
  ])('POST %s %j → 501', async (url, body, detail) => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url, ...json(body) });
    expect(expectProblem(res, 501, 'UNIMPLEMENTED', url)).toBe(detail);
    expect(api.calls).toHaveLength(0);
  });

  it('start instructions reach the node as element ids', async () => {
    const { server, api } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/process-instances', ...json({ processDefinitionId: 'a', startInstructions: [{ elementId: 'x' }, { elementId: 'y' }] }) });
    expect(res.statusCode).toBe(200);
    expect(api.lastArg<{ startInstructions: string[] }>('createProcessInstance').startInstructions).toEqual(['x', 'y']);
    const bad = await server.app.inject({ method: 'POST', url: '/v2/process-instances', ...json({ processDefinitionId: 'a', startInstructions: [{}] }) });
    expect(bad.statusCode).toBe(400);
  });

  it('empty instruction lists are fine', async () => {
    const { server } = harness();
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      ...json({ processDefinitionId: 'a', startInstructions: [], runtimeInstructions: [], tags: [] }),
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('request size', () => {
  it('a JSON body over maxMessageSize is 413 naming the limit', async () => {
    const { server, api } = harness({ limits: { maxMessageSize: 2048 } });
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      ...json({ name: 'm', variables: { blob: 'x'.repeat(4096) } }),
    });
    expect(expectProblem(res, 413, 'PAYLOAD_TOO_LARGE', '/v2/messages/publication')).toBe(
      'Request body is larger than the limit of 2048 bytes (maxMessageSize)',
    );
    expect(api.calls).toHaveLength(0);
  });

  it('a body just under the limit is accepted', async () => {
    const { server } = harness({ limits: { maxMessageSize: 2048 } });
    const body = JSON.stringify({ name: 'm', variables: { blob: '' } });
    const res = await server.app.inject({
      method: 'POST',
      url: '/v2/messages/publication',
      ...json({ name: 'm', variables: { blob: 'x'.repeat(2048 - body.length) } }),
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('operations Zen does not serve', () => {
  it.each([
    ['POST', '/v2/documents/batch', 'createDocuments', '/v2/documents/batch'],
    ['GET', '/v2/resources/1', 'getResource', '/v2/resources/{resourceKey}'],
    ['GET', '/v2/license', 'getLicense', '/v2/license'],
    ['POST', '/v2/setup/user', 'createAdminUser', '/v2/setup/user'],
  ])('%s %s → 501 naming %s', async (method, url, operationId, template) => {
    const { server } = harness();
    const res = await server.app.inject({ method: method as 'GET', url, ...(method === 'GET' || method === 'DELETE' ? {} : json({})) });
    expect(expectProblem(res, 501, 'UNIMPLEMENTED', url)).toBe(
      `The operation ${operationId} (${method} ${template}) is not supported by Zen yet`,
    );
  });

  it('an unknown path under /v2 is 501 too, saying so', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'POST', url: '/v2/no-such-thing', ...json({}) });
    expect(expectProblem(res, 501, 'UNIMPLEMENTED', '/v2/no-such-thing')).toContain(
      'POST /v2/no-such-thing is not supported by Zen',
    );
  });

  it('a known path with another method is 405 with Allow', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: '/v2/jobs/activation' });
    expect(expectProblem(res, 405, 'METHOD_NOT_ALLOWED', '/v2/jobs/activation')).toBe(
      "GET is not allowed on '/v2/jobs/activation'; allowed: POST",
    );
    expect(res.headers.allow).toBe('POST');
    const topology = await server.app.inject({ method: 'POST', url: '/v2/topology', ...json({}) });
    expect(topology.statusCode).toBe(405);
    expect(topology.headers.allow).toBe('GET');
  });

  it('a path outside /v2 is 404', async () => {
    const { server } = harness();
    const res = await server.app.inject({ method: 'GET', url: '/v1/topology' });
    expect(expectProblem(res, 404, 'NOT_FOUND', '/v1/topology')).toContain('the REST API is under /v2/');
  });
});
