/**
 * An answer sent before the request body was read (415 for a content type no route takes) closes
 * its connection, so a keep-alive client never waits on a socket that still holds the rest of
 * that body. Over a listening server and raw HTTP, since inject() has no connection.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, harness } from './harness.js';

afterEach(closeAll);

function post(port: number, path: string, contentType: string, body: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('REST answers before the body is read', () => {
  it('closes the connection of a 415 sent with most of a large body unread, and keeps it for a read one', async () => {
    const h = harness({ limits: { maxMessageSize: 4 * 1024 * 1024 } });
    const { port } = await h.server.listen('127.0.0.1', 0);
    const refused = await post(port, '/v2/incidents/search', 'text/plain', '['.repeat(2 * 1024 * 1024));
    expect(refused.status).toBe(415);
    expect(refused.connection).toBe('close');
    const read = await post(port, '/v2/incidents/search', 'application/json', '{}');
    expect(read.status).toBe(200);
    expect(read.connection).not.toBe('close');
  });
});
