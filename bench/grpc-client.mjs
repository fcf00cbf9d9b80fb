// A minimal gateway client for the benchmarks: grpc-js with the gateway proto (the SDK adds
// logging and retries on top). The calls the load is made of (creating instances, activating
// and completing jobs) go through the lean client (lean-client.mjs), which costs about half
// grpc-js's CPU per call; BENCH_CLIENT=grpc-js sends them through grpc-js as well.
import { Metadata, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { leanGatewayClient } from './lean-client.mjs';

const PROTO = fileURLToPath(new URL('../proto/gateway.proto', import.meta.url));

/**
 * `token`: a bearer token sent with every call (default BENCH_GRPC_TOKEN, so the worker process,
 * which inherits the environment, sends it too).
 */
export function gatewayClient(address, { token = process.env.BENCH_GRPC_TOKEN } = {}) {
  const metadata = () => {
    const m = new Metadata();
    if (token) m.set('authorization', `Bearer ${token}`);
    return m;
  };
  const definition = loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const Gateway = loadPackageDefinition(definition).gateway_protocol.Gateway;
  const client = new Gateway(address, credentials.createInsecure(), {
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const unary = (method) => (request, options = {}) =>
    new Promise((resolve, reject) => {
      const deadline = options.deadline ?? Date.now() + 60_000;
      // grpc-js captures a stack trace per call for its error messages: a load generator that
      // shares the machine with the nodes should not spend CPU on that.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        client[method](request, metadata(), { deadline }, (err, response) => (err ? reject(err) : resolve(response)));
      } finally {
        Error.stackTraceLimit = limit;
      }
    });
  const lean = process.env.BENCH_CLIENT === 'grpc-js' ? null : leanGatewayClient(address, { token });
  return {
    raw: client,
    topology: unary('Topology'),
    deployResource: unary('DeployResource'),
    createProcessInstance: unary('CreateProcessInstance'),
    createProcessInstanceWithResult: unary('CreateProcessInstanceWithResult'),
    completeJob: unary('CompleteJob'),
    publishMessage: unary('PublishMessage'),
    evaluateDecision: unary('EvaluateDecision'),
    /** Resolves with all jobs of one ActivateJobs call (the response is a stream). */
    activateJobs(request) {
      return new Promise((resolve, reject) => {
        const jobs = [];
        const call = client.ActivateJobs(request, metadata(), { deadline: Date.now() + 60_000 });
        call.on('data', (response) => jobs.push(...response.jobs));
        call.on('error', reject);
        call.on('end', () => resolve(jobs));
      });
    },
    /** Opens a job stream (StreamActivatedJobs); `onJob` gets each pushed job. Returns the call. */
    streamJobs(request, onJob) {
      const call = client.StreamActivatedJobs(request, metadata());
      call.on('data', onJob);
      return call;
    },
    ...(lean
      ? {
          createProcessInstance: lean.createProcessInstance,
          createProcessInstanceWithResult: lean.createProcessInstanceWithResult,
          completeJob: lean.completeJob,
          activateJobs: lean.activateJobs,
        }
      : {}),
    close: () => {
      client.close();
      lean?.close();
    },
  };
}
