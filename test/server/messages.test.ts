/**
 * Message correlation against a real `zen start` process with the real SDK: a message that
 * meets an open subscription, a buffered message that meets a later one, and de-duplication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code, deployFixtures, grpcFailure, sleep, zeebeClient, type ZeebeClient } from '../support/server-client.js';
import { showServerOutputOnFailure, ZenServer } from '../support/server-process.js';

let server: ZenServer;
let zeebe: ZeebeClient;

beforeAll(async () => {
  server = await ZenServer.start();
  zeebe = zeebeClient(server);
  await deployFixtures(zeebe, 'server-message-catch.bpmn', 'server-message-start.bpmn');
});

afterAll(async () => {
  await zeebe?.close();
  const exit = await server?.dispose();
  expect(exit?.code).toBe(0);
});

showServerOutputOnFailure(() => [server]);

const waitForPayment = (orderId: string, requestTimeout = 20_000) =>
  zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'server-message-catch', variables: { orderId }, requestTimeout });

describe('publishMessage', () => {
  it('correlates to a waiting intermediate message catch', async () => {
    const result = waitForPayment('order-A');
    let settled = false;
    void result.then(
      () => (settled = true),
      () => (settled = true),
    );
    // TTL 0: the message is never buffered, so it can only meet a subscription that is open
    // when it is published. The subscription opens shortly after the instance is created,
    // so publish until it is met rather than guessing how long that takes.
    let published = 0;
    while (!settled && published < 100) {
      await zeebe.publishMessage({ name: 'payment-received', correlationKey: 'order-A', timeToLive: 0, variables: { paid: 42 } });
      published++;
      await sleep(100);
    }
    const completed = await result;
    expect(completed.variables).toEqual({ orderId: 'order-A', paid: 42 });
  });

  it('does not keep a message with TTL 0 for a subscription opened later', async () => {
    await zeebe.publishMessage({ name: 'payment-received', correlationKey: 'order-B', timeToLive: 0, variables: { paid: 1 } });
    const err = await grpcFailure(waitForPayment('order-B', 1_500));
    expect(err.code, err.details).toBe(Code.DEADLINE_EXCEEDED);
  });

  it('buffers a message published before the subscription opens and correlates it within its TTL', async () => {
    const published = await zeebe.publishMessage({
      name: 'payment-received',
      correlationKey: 'order-C',
      timeToLive: 60_000,
      variables: { paid: 7, currency: 'EUR' },
    });
    expect(BigInt(published.key)).toBeGreaterThan(0n);
    await sleep(200);
    const completed = await waitForPayment('order-C');
    expect(completed.variables).toEqual({ orderId: 'order-C', paid: 7, currency: 'EUR' });
  });

  it('refuses a second message with the same messageId while the first is buffered: ALREADY_EXISTS', async () => {
    const message = { name: 'payment-received', correlationKey: 'order-D', timeToLive: 60_000, messageId: 'payment-D-1', variables: { paid: 1 } };
    const first = await zeebe.publishMessage(message);
    expect(BigInt(first.key)).toBeGreaterThan(0n);

    const err = await grpcFailure(zeebe.publishMessage({ ...message, variables: { paid: 2 } }));
    expect(err.code, err.details).toBe(Code.ALREADY_EXISTS);
    expect(err.details).toContain('payment-D-1');

    // Another id is another message; and the instance gets the first message, not the duplicate.
    await zeebe.publishMessage({ ...message, messageId: 'payment-D-2', variables: { paid: 3 } });
    const completed = await waitForPayment('order-D');
    expect(completed.variables).toEqual({ orderId: 'order-D', paid: 1 });
  });
});

describe('GET /v2/process-instances/{key} over real HTTP', () => {
  const read = (key: string) => fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances/${key}`);

  it('shows a waiting instance at its catch event, then, once the message completed it, the finished instance from the history', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'server-message-catch', variables: { orderId: 'order-read' } });
    const waiting = await read(processInstanceKey);
    expect(waiting.status).toBe(200);
    expect(waiting.headers.get('zen-served-by')).toBe('0/LEADER');
    expect(await waiting.json()).toMatchObject({
      processInstanceKey,
      processDefinitionId: 'server-message-catch',
      state: 'ACTIVE',
      hasIncident: false,
      tenantId: '<default>',
      activeElements: [{ elementId: 'waitForPayment', type: 'INTERMEDIATE_CATCH_EVENT', state: 'ACTIVATED' }],
    });

    await zeebe.publishMessage({ name: 'payment-received', correlationKey: 'order-read', timeToLive: 60_000 });
    let done: { state?: string; endDate?: string; activeElements?: unknown[] } = {};
    for (let i = 0; i < 50 && done.state !== 'COMPLETED'; i++) {
      done = (await (await read(processInstanceKey)).json()) as typeof done;
      if (done.state !== 'COMPLETED') await sleep(100);
    }
    expect(done).toMatchObject({ state: 'COMPLETED', endDate: expect.any(String), activeElements: [] });
    expect((await read('2251799813685249')).status).toBe(404);
  });
});

describe('POST /v2/messages/correlation over real HTTP', () => {
  const correlate = async (body: Record<string, unknown>) => {
    const response = await fetch(`http://127.0.0.1:${server.restPort}/v2/messages/correlation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('correlates to a waiting instance and answers with its key', async () => {
    const { processInstanceKey } = await zeebe.createProcessInstance({ bpmnProcessId: 'server-message-catch', variables: { orderId: 'order-corr' } });
    // The subscription opens just after the instance is created: retry the 404 until it is open.
    let answer = await correlate({ name: 'payment-received', correlationKey: 'order-corr', variables: { paid: 3 } });
    for (let i = 0; i < 50 && answer.status === 404; i++) {
      await sleep(100);
      answer = await correlate({ name: 'payment-received', correlationKey: 'order-corr', variables: { paid: 3 } });
    }
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json).toMatchObject({ processInstanceKey, tenantId: '<default>' });
    expect(BigInt(answer.json.messageKey as string)).toBeGreaterThan(0n);
  });

  it('starts an instance at a message start event and answers with it', async () => {
    const answer = await correlate({ name: 'order-placed', correlationKey: 'order-start', variables: { orderId: 'order-start' } });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const instance = await fetch(`http://127.0.0.1:${server.restPort}/v2/process-instances/${answer.json.processInstanceKey as string}`);
    expect(instance.status).toBe(200);
    expect(await instance.json()).toMatchObject({ processDefinitionId: 'server-message-start', state: 'ACTIVE' });
  });

  it('404 with a problem detail when nothing waits for the message; it is not buffered', async () => {
    const answer = await correlate({ name: 'payment-received', correlationKey: 'order-nobody' });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({
      title: 'NOT_FOUND',
      status: 404,
      detail: "Expected to find subscription for message with name 'payment-received' and correlation key 'order-nobody', but none was found.",
    });
    const err = await grpcFailure(waitForPayment('order-nobody', 1_500));
    expect(err.code, err.details).toBe(Code.DEADLINE_EXCEEDED);
  });

  it('400 without a name', async () => {
    const answer = await correlate({ correlationKey: 'order-x' });
    expect(answer.status).toBe(400);
  });
});
