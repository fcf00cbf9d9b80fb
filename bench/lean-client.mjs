// A lean gateway client for the benchmarks' load generators: gRPC over node:http2 with the few
// messages the load needs encoded by hand. It speaks the same protocol as any Zeebe client (the
// nodes cannot tell it from grpc-js), at a fraction of grpc-js's CPU per call — on a machine the
// nodes share with their load, every millisecond the load spends is one the nodes cannot.
// BENCH_CLIENT=grpc-js switches the benchmarks back to bench/grpc-client.mjs.
import { connect, constants } from 'node:http2';

const { HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_CONTENT_TYPE, HTTP2_HEADER_TE } = constants;

/** `token`: a bearer token sent with every call (default BENCH_GRPC_TOKEN, as grpc-client.mjs). */
export function leanGatewayClient(address, { token = process.env.BENCH_GRPC_TOKEN } = {}) {
  let session = null;
  const open = () => {
    if (session && !session.closed && !session.destroyed) return session;
    session = connect(`http://${address}`);
    session.on('error', () => {});
    session.on('close', () => (session = null));
    return session;
  };

  /** One call: the request's message out, every response message in; rejects on a non-zero grpc-status. */
  function call(method, message, { timeoutMs = 60_000, onMessage = null } = {}) {
    return new Promise((resolve, reject) => {
      const headers = {
        [HTTP2_HEADER_METHOD]: 'POST',
        [HTTP2_HEADER_PATH]: `/gateway_protocol.Gateway/${method}`,
        [HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
        [HTTP2_HEADER_TE]: 'trailers',
        'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
        'user-agent': 'zen-bench-lean',
      };
      if (token) headers.authorization = `Bearer ${token}`;
      let stream;
      try {
        stream = open().request(headers, { endStream: false });
      } catch (err) {
        session = null;
        reject(err);
        return;
      }
      const frames = new Frames(onMessage);
      let status = null;
      let statusMessage = '';
      stream.on('response', (h) => {
        if (h['grpc-status'] !== undefined) [status, statusMessage] = [Number(h['grpc-status']), h['grpc-message'] ?? ''];
      });
      stream.on('trailers', (h) => {
        [status, statusMessage] = [Number(h['grpc-status']), h['grpc-message'] ?? ''];
      });
      stream.on('data', (chunk) => frames.push(chunk));
      stream.on('error', reject);
      stream.on('close', () => {
        if (status === 0) resolve(frames.messages);
        else reject(Object.assign(new Error(`${method}: grpc-status ${status ?? 'missing'} ${decodeURIComponent(statusMessage)}`), { code: status }));
      });
      const frame = Buffer.allocUnsafe(5 + message.length);
      frame[0] = 0;
      frame.writeUInt32BE(message.length, 1);
      message.copy(frame, 5);
      stream.end(frame);
    });
  }

  const timeoutOf = (options) => (options?.deadline ? options.deadline - Date.now() : 60_000);
  return {
    createProcessInstance: (request, options) => call('CreateProcessInstance', createRequest(request), { timeoutMs: timeoutOf(options) }),
    createProcessInstanceWithResult: ({ request, requestTimeout = 0 }, options) =>
      call('CreateProcessInstanceWithResult', concat([bytesField(1, createRequest(request)), varintField(2, requestTimeout)]), { timeoutMs: timeoutOf(options) }),
    completeJob: ({ jobKey, variables = '' }) => call('CompleteJob', concat([keyField(1, jobKey), stringField(2, variables)])),
    /**
     * Resolves with the jobs of one ActivateJobs call; each job's `key` is its key's varint
     * bytes, for completeJob. With `fetchVariable`, each job has its `variables` (JSON) too.
     */
    async activateJobs({ type, worker, timeout, maxJobsToActivate, requestTimeout, fetchVariable = [] }) {
      const message = concat([
        stringField(1, type), stringField(2, worker), varintField(3, timeout), varintField(4, maxJobsToActivate),
        ...fetchVariable.map((name) => stringField(5, name)), varintField(6, requestTimeout),
      ]);
      const jobs = [];
      const withVariables = fetchVariable.length > 0;
      await call('ActivateJobs', message, { timeoutMs: Number(requestTimeout) + 60_000, onMessage: (m) => readJobs(m, jobs, withVariables) });
      return jobs;
    },
    close: () => session?.close(),
  };
}

function createRequest({ bpmnProcessId, version = -1, variables = '' }) {
  return concat([stringField(2, bpmnProcessId), varintField(3, version), stringField(4, variables)]);
}

/** Length-prefixed gRPC messages out of a byte stream (a message may span chunks). */
class Frames {
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.messages = 0;
    this.buffer = Buffer.alloc(0);
  }

  push(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 5) {
      const length = this.buffer.readUInt32BE(1);
      if (this.buffer.length < 5 + length) return;
      if (this.buffer[0] !== 0) throw new Error('compressed response messages are not supported by the lean client');
      this.onMessage?.(this.buffer.subarray(5, 5 + length));
      this.messages++;
      this.buffer = this.buffer.subarray(5 + length);
    }
  }
}

/** ActivateJobsResponse: repeated ActivatedJob jobs = 1, each with int64 key = 1 and string variables = 13. */
function readJobs(message, jobs, withVariables) {
  let at = 0;
  while (at < message.length) {
    const [tag, afterTag] = readVarint(message, at);
    if (Number(tag) !== ((1 << 3) | 2)) throw new Error('unexpected field in ActivateJobsResponse');
    const [length, start] = readVarint(message, afterTag);
    const end = start + Number(length);
    jobs.push(readJob(message.subarray(start, end), withVariables));
    at = end;
  }
}

/** An ActivatedJob's key as raw varint bytes (copied into CompleteJob as they are), and its variables if asked. */
function readJob(message, withVariables) {
  const job = { key: null };
  let at = 0;
  while (at < message.length) {
    const [tag, afterTag] = readVarint(message, at);
    const wire = Number(tag & 7n);
    const field = Number(tag >> 3n);
    if (wire === 0) {
      const [, end] = readVarint(message, afterTag);
      if (field === 1) job.key = message.subarray(afterTag, end);
      at = end;
    } else if (wire === 2) {
      const [length, start] = readVarint(message, afterTag);
      at = start + Number(length);
      if (field === 13 && withVariables) job.variables = message.toString('utf8', start, at);
    } else if (wire === 1) at = afterTag + 8;
    else if (wire === 5) at = afterTag + 4;
    else throw new Error(`unexpected wire type ${wire}`);
    if (job.key && !withVariables) break;
  }
  if (!job.key) throw new Error('ActivatedJob without a key');
  return job;
}

function readVarint(buffer, at) {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buffer[at++];
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [value, at];
    shift += 7n;
  }
}

function varint(value) {
  // int32/int64 negatives are ten-byte two's complement varints.
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

const varintField = (field, value) => concat([varint((field << 3) | 0), varint(value)]);
const bytesField = (field, bytes) => concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
const stringField = (field, text) => bytesField(field, Buffer.from(text, 'utf8'));
/** A job key as activateJobs gave it (varint bytes), or as a decimal string or bigint. */
const keyField = (field, key) => (key instanceof Uint8Array ? concat([varint((field << 3) | 0), key]) : varintField(field, key));
const concat = (parts) => Buffer.concat(parts);
