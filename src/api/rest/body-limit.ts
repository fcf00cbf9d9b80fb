import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/**
 * maxMessageSize for request bodies when it can change while the server runs: fastify's
 * `bodyLimit` is fixed at creation (it is set to the highest value the setting may take), so
 * the limit in force is checked here, before parsing, on the declared length and on the bytes
 * as they arrive. The error is fastify's own body-too-large code, so problem.ts answers it as
 * it answers fastify's check: 413 naming the limit.
 */
export function limitBodySize(app: FastifyInstance, limit: () => number): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const max = limit();
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) throw tooLarge();
    let seen = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        seen += chunk.length;
        if (seen > max) callback(tooLarge());
        else callback(null, chunk);
      },
    });
    payload.on('error', (err) => counter.destroy(err));
    return payload.pipe(counter);
  });
}

function tooLarge(): Error {
  return Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
}
