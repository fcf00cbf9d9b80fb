/**
 * The gRPC authentication interceptor on a real grpc-js server: refusals before the request is
 * decoded, the principal on the call's metadata (and the header gone from it), counted refusals;
 * and on the gateway itself with the Camunda SDK's NONE (empty header) and BASIC strategies.
 */
import { Camunda8 } from '@camunda8/sdk';
import {
  credentials,
  makeGenericClientConstructor,
  Metadata,
  Server,
  ServerCredentials,
  type Client,
  type handleUnaryCall,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { authenticateCalls } from '../../../src/api/grpc/authentication.js';
import { createGrpcServer } from '../../../src/api/grpc/index.js';
import { ZenError } from '../../../src/errors.js';
import { AuthGate } from '../../../src/security/auth-gate.js';
import type { Authenticator } from '../../../src/security/authenticator.js';
import { principalOf } from '../../../src/security/call-context.js';
import { FailureThrottle } from '../../../src/security/failure-throttle.js';
import { userPrincipal } from '../../../src/node/principal.js';
import { FakeApi } from '../../support/fake-api.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const GOOD = `Basic ${Buffer.from('ann:pw').toString('base64')}`;

const authenticator: Authenticator = {
  async authenticate(header) {
    if (header === GOOD) return userPrincipal('ann');
    throw new ZenError('UNAUTHENTICATED', header ? 'Invalid username or password' : 'This node requires authentication');
  },
};

const gate = () => new AuthGate('basic', authenticator, new FailureThrottle(), async () => {});

const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as unknown,
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A one-method service whose handler reports the principal it sees; counts decoded requests. */
async function whoAmIServer() {
  let decoded = 0;
  const refused: string[] = [];
  const service: ServiceDefinition = {
    whoAmI: {
      path: '/test.Auth/WhoAmI',
      requestStream: false,
      responseStream: false,
      requestSerialize: json.serialize,
      requestDeserialize: (bytes: Buffer) => {
        decoded++;
        return json.deserialize(bytes);
      },
      responseSerialize: json.serialize,
      responseDeserialize: json.deserialize,
    },
  };
  const server = new Server({ interceptors: [authenticateCalls({ gate: gate(), logger: new RecordingLogger(), onRefused: (rpc, code) => refused.push(`${rpc} ${code}`) })] });
  const whoAmI: handleUnaryCall<unknown, unknown> = (call, callback) =>
    callback(null, { principal: principalOf(call.metadata), authorizationLeft: call.metadata.get('authorization').length });
  server.addService(service, { whoAmI });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const Ctor = makeGenericClientConstructor(service, 'Auth');
  const client = new Ctor(`127.0.0.1:${port}`, credentials.createInsecure()) as Client & Record<string, Function>;
  cleanups.push(() => server.forceShutdown(), () => client.close());
  const call = (header?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const metadata = new Metadata();
      if (header !== undefined) metadata.set('authorization', header);
      client.whoAmI!({ hello: 'x'.repeat(1000) }, metadata, (err: ServiceError | null, res: Record<string, unknown>) => (err ? reject(err) : resolve(res)));
    });
  return { call, decoded: () => decoded, refused };
}

describe('authenticateCalls (server interceptor)', () => {
  it('attaches the principal to the call and takes the header out of what the handler sees', async () => {
    const s = await whoAmIServer();
    expect(await s.call(GOOD)).toEqual({ principal: { kind: 'user', id: 'ann', groups: [] }, authorizationLeft: 0 });
    expect(s.decoded()).toBe(1);
  });

  it('refuses with UNAUTHENTICATED before the request is decoded, and counts the refusal', async () => {
    const s = await whoAmIServer();
    for (const header of [undefined, '', 'Basic d3Jvbmc6cHc=']) {
      const err = (await s.call(header).catch((e: unknown) => e)) as ServiceError;
      expect(err.code).toBe(16);
    }
    expect(s.decoded()).toBe(0);
    expect(s.refused).toEqual(['WhoAmI UNAUTHENTICATED', 'WhoAmI UNAUTHENTICATED', 'WhoAmI UNAUTHENTICATED']);
  });
});

describe('the gateway with authentication', () => {
  async function gateway() {
    const api = new FakeApi();
    const server = createGrpcServer({ api, logger: new RecordingLogger(), limits: { maxMessageSize: 4 << 20, maxResourcesPerDeployment: 3 }, authentication: gate() });
    const port = await server.listen('127.0.0.1', 0);
    cleanups.push(() => server.shutdown(0));
    return { api, port };
  }

  function sdk(port: number, basic?: { user: string; password: string }) {
    const zeebe = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${port}`,
      CAMUNDA_AUTH_STRATEGY: basic ? 'BASIC' : 'NONE',
      ...(basic ? { CAMUNDA_BASIC_AUTH_USERNAME: basic.user, CAMUNDA_BASIC_AUTH_PASSWORD: basic.password } : {}),
      CAMUNDA_LOG_LEVEL: 'none',
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
    }).getZeebeGrpcApiClient();
    cleanups.push(async () => void (await zeebe.close()));
    return zeebe;
  }

  it("refuses the SDK's empty authorization header (NONE) and takes its BASIC credentials", async () => {
    const { api, port } = await gateway();
    const refused = (await sdk(port).topology().catch((e: unknown) => e)) as ServiceError;
    expect(refused.code).toBe(16);
    expect(refused.details).toBe('This node requires authentication');
    expect(api.calls).toEqual([]);
    const topology = await sdk(port, { user: 'ann', password: 'pw' }).topology();
    expect(topology.brokers).toHaveLength(1);
    const wrong = (await sdk(port, { user: 'ann', password: 'nope' }).topology().catch((e: unknown) => e)) as ServiceError;
    expect(wrong).toMatchObject({ code: 16, details: 'Invalid username or password' });
  });
});
