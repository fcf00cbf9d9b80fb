/**
 * ETags on the API's GET answers, for every route at once: the tag is a hash of the body as
 * sent, and a request whose If-None-Match holds it gets 304 without the body. It saves the
 * transfer and the client's parsing, not the node's work (the answer is computed to be hashed).
 * Only successful GETs: a POST search answers 200 always (RFC 9110 makes a failed
 * If-None-Match on a POST a 412), and a problem is never cached.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from './route.js';

/** A strong tag (the bytes are the bytes): 128 bits of SHA-256, base64url. */
export function entityTag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** RFC 9110 §13.1.2: `*`, or a list of tags compared weakly (W/ ignored). */
export function noneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = tag.replace(/^W\//, '');
  return header.split(',').some((item) => item.trim().replace(/^W\//, '') === bare);
}

export function tagGetAnswers(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
    if (!request.url.startsWith(`${API_PREFIX}/`)) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('etag')) return payload;
    const tag = entityTag(payload);
    void reply.header('etag', tag);
    // Not written to any cache: answers hold variables and user records, and a browser's cache
    // keeps them on disk past the session. A client that keeps its own copy revalidates it.
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    if (!noneMatch(request.headers['if-none-match'], tag)) return payload;
    void reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  });
}
