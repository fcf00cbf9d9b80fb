// Authentication and authorization benchmark (`npm run bench:auth`): the one-task throughput
// phase of `npm run bench` on a node with auth off, and on a node with `--auth oidc
// --authorizations`, in the order off, on, on, off (so drift of the shared VM falls on both).
// With auth on, every gRPC call of the creators and the job worker carries a bearer token of a
// machine client ('bench-client') that holds CREATE_PROCESS_INSTANCE and UPDATE_PROCESS_INSTANCE
// on the process through authorizations created over REST by the administrator — the evaluator
// runs on every call, not the admin shortcut. The issuer is a small OIDC server in this process
// (discovery document and key set on loopback, RS256). Prints both rates and their ratio
// (target ≥ 0.9). BENCH_SECONDS (default 15) per phase, BENCH_INFLIGHT (default 100);
// BENCH_AUTH_ONLY=on|off runs that phase alone.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { gatewayClient } from './grpc-client.mjs';
import { oneTaskProcess } from './models.mjs';
import { startNode, throughputPhase } from './phases.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const inflight = Number(process.env.BENCH_INFLIGHT ?? 100);
const AUDIENCE = 'zeebe-api';
const ADMIN = 'bench-admin';
const CLIENT = 'bench-client';
const log = (...args) => console.error('[bench:auth]', ...args);

/** A minimal OIDC issuer: discovery and JWKS over HTTP on loopback, tokens minted in process. */
async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-key', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration' ? { issuer, jwks_uri: `${issuer}/jwks` } : req.url === '/jwks' ? { keys: [jwk] } : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  const mint = (claims, subject) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'bench-key' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(privateKey);
  return {
    issuer,
    // A person (the administrator): the client id of the app they signed in with differs from them.
    adminToken: await mint({ azp: 'console' }, ADMIN),
    // A machine client (client credentials): subject and client id are the same.
    clientToken: await mint({ azp: CLIENT }, CLIENT),
    close: () => server.close(),
  };
}

const root = mkdtempSync(join(tmpdir(), 'zen-bench-auth-'));
let run = 0;

async function phase(auth, issuer) {
  const dataDir = join(root, `node${run++}`);
  mkdirSync(dataDir, { recursive: true });
  const args = auth
    ? ['--auth', 'oidc', '--oidc-issuer', issuer.issuer, '--oidc-audience', AUDIENCE, '--authorizations', '--admin-user', ADMIN, '--admin-password', 'bench-admin-password']
    : [];
  const node = await startNode(dataDir, args);
  // The worker process inherits the environment: it sends the client's token too.
  if (auth) process.env.BENCH_GRPC_TOKEN = issuer.clientToken;
  else delete process.env.BENCH_GRPC_TOKEN;
  const address = `127.0.0.1:${node.grpcPort}`;
  const admin = gatewayClient(address, auth ? { token: issuer.adminToken } : {});
  const client = gatewayClient(address);
  try {
    await admin.deployResource({ resources: [{ name: 'bench.bpmn', content: Buffer.from(oneTaskProcess('bench', 'bench-work')) }] });
    if (auth) {
      const res = await fetch(`http://127.0.0.1:${node.restPort}/v2/authorizations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${issuer.adminToken}` },
        body: JSON.stringify({
          ownerId: CLIENT,
          ownerType: 'CLIENT',
          resourceType: 'PROCESS_DEFINITION',
          resourceId: 'bench',
          permissionTypes: ['CREATE_PROCESS_INSTANCE', 'UPDATE_PROCESS_INSTANCE'],
        }),
      });
      if (res.status !== 201) throw new Error(`creating the client's authorization answered ${res.status}: ${await res.text()}`);
      // The client may create now (the identity copy is read again within a second).
      for (let tries = 0; ; tries++) {
        try {
          await client.createProcessInstance({ bpmnProcessId: 'bench', version: -1, variables: '{}' });
          break;
        } catch (err) {
          if (tries > 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
    const result = await throughputPhase({ clients: [client], systemPorts: [node.systemPort], workerAddresses: [address], seconds, inflight });
    log(`auth ${auth ? 'oidc + authorizations' : 'off'}: ${result.completedPerSecond} completed/s (${result.failed} creates failed)`);
    return result;
  } finally {
    admin.close();
    client.close();
    node.child.kill('SIGTERM');
    await new Promise((r) => (node.child.exitCode !== null ? r() : node.child.on('exit', r)));
  }
}

const issuer = await startIssuer();
try {
  // BENCH_AUTH_ONLY=on (or off): that phase once, e.g. to profile it with BENCH_NODE_FLAGS.
  const only = process.env.BENCH_AUTH_ONLY;
  if (only) {
    await phase(only === 'on', issuer);
    process.exit(0);
  }
  const off1 = await phase(false, issuer);
  const on1 = await phase(true, issuer);
  const on2 = await phase(true, issuer);
  const off2 = await phase(false, issuer);
  const mean = (a, b) => (a.completedPerSecond + b.completedPerSecond) / 2;
  const result = {
    seconds,
    inflight,
    offCompletedPerSecond: [off1.completedPerSecond, off2.completedPerSecond],
    onCompletedPerSecond: [on1.completedPerSecond, on2.completedPerSecond],
    onFailedCreates: on1.failed + on2.failed,
    ratioOnOff: +(mean(on1, on2) / mean(off1, off2)).toFixed(3),
    target: 0.9,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  issuer.close();
  rmSync(root, { recursive: true, force: true });
}
