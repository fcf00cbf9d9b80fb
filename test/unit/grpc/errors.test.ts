/** ZenErrors from the node become the catalogue's gRPC status; RPCs Zen lacks say so by name. */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ZenError, type ErrorCode } from '../../../src/errors.js';
import {
  collect,
  rawClient,
  rawStream,
  rawUnary,
  rejection,
  sdkClient,
  startGateway,
  type Gateway,
  type RawClient,
} from './harness.js';

let gw: Gateway;
let zeebe: ReturnType<typeof sdkClient>;
let raw: RawClient;

beforeAll(async () => {
  gw = await startGateway();
  zeebe = sdkClient(gw.port);
  raw = rawClient(gw.address);
});

afterAll(async () => {
  await zeebe.close();
  raw.close();
  await gw.server.shutdown(1_000);
});

describe('error catalogue mapping', () => {
  const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

  it.each(codes)('%s from the node keeps its message', async (code) => {
    const message = `Expected to cancel a process instance with key '2251799813685251', but ${code}`;
    gw.api.failNext('cancelProcessInstance', new ZenError(code, message));
    const err = await rejection(rawUnary(raw, 'CancelProcessInstance', { processInstanceKey: '2251799813685251' }));
    expect(err.code).toBe(ERROR_CATALOGUE[code].grpc);
    expect(err.details).toBe(message);
  });

  it('reaches the SDK user as the same status', async () => {
    gw.api.failNext('cancelProcessInstance', new ZenError('NOT_FOUND', "No process instance with key '2251799813685251'"));
    const err = await rejection(zeebe.cancelProcessInstance('2251799813685251'));
    expect(err).toMatchObject({ code: status.NOT_FOUND, details: "No process instance with key '2251799813685251'" });
  });

  it('maps failures of streaming RPCs too', async () => {
    gw.api.failNext('activateJobs', new ZenError('UNAVAILABLE', 'Partition 1 has no leader'));
    const err = await rejection(
      collect(rawStream(raw, 'ActivateJobs', { type: 't', timeout: '1000', maxJobsToActivate: 1, requestTimeout: '-1' })),
    );
    expect(err).toMatchObject({ code: status.UNAVAILABLE, details: 'Partition 1 has no leader' });

    gw.api.failNext('openJobStream', new ZenError('RESOURCE_EXHAUSTED', 'Too many job streams'));
    const streamErr = await rejection(collect(rawStream(raw, 'StreamActivatedJobs', { type: 't', timeout: '1000' })));
    expect(streamErr).toMatchObject({ code: status.RESOURCE_EXHAUSTED, details: 'Too many job streams' });
  });

  it('turns an unexpected exception into INTERNAL and logs it with its stack', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    gw.api.failNext('resolveIncident', bug);
    const err = await rejection(rawUnary(raw, 'ResolveIncident', { incidentKey: '2251799813685257' }));
    expect(err).toMatchObject({
      code: status.INTERNAL,
      details: 'Unexpected error: cannot read properties of undefined',
    });
    const logged = gw.logger.at('error').at(-1);
    expect(logged?.obj).toMatchObject({ rpc: 'ResolveIncident', err: bug });
    expect((logged?.obj as { err: Error }).err.stack).toContain('cannot read properties of undefined');
  });

  it('does not log expected failures at error level', async () => {
    const before = gw.logger.at('error').length;
    gw.api.failNext('completeJob', new ZenError('NOT_FOUND', 'no such job'));
    await rejection(rawUnary(raw, 'CompleteJob', { jobKey: '2251799813685253' }));
    expect(gw.logger.at('error')).toHaveLength(before);
  });
});

describe('EvaluateDecision', () => {
  it('goes to the API by id, or by key when one is given, and answers with the evaluation', async () => {
    const answer = await zeebe.evaluateDecision({ decisionId: 'pricing', variables: { expected: 7 } });
    expect(gw.api.lastArg('evaluateDecision')).toMatchObject({ decisionId: 'pricing', decisionKey: null, variables: { expected: 7 } });
    expect(answer).toMatchObject({ decisionId: 'pricing', decisionOutput: '7', failedDecisionId: '', failureMessage: '' });
    expect(answer.evaluatedDecisions[0]).toMatchObject({ decisionType: 'DECISION_TABLE', matchedRules: [{ ruleId: 'r1', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'out1', outputValue: '7' }] }] });
    await zeebe.evaluateDecision({ decisionKey: '2251799813685300', variables: {} });
    expect(gw.api.lastArg('evaluateDecision')).toMatchObject({ decisionKey: 2251799813685300n, decisionId: null });
  });

  it('without id or key is INVALID_ARGUMENT', async () => {
    const err = await rejection(rawUnary(raw, 'EvaluateDecision', { variables: '{}' }));
    expect(err).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'Expected either a decision id or a valid decision key, but none provided' });
  });
});
