/** Requests to etcd members' own HTTP endpoints: bodies both ways, and a member that does not answer. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberRequest } from '../../../src/cluster/etcd/member-http.js';

let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/silent') return; // never answers
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(`${req.method} ${req.headers['content-type'] ?? '-'} ${Buffer.concat(chunks).toString()}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('memberRequest', () => {
  it('GETs without a body and POSTs JSON, answering with the status and the text', async () => {
    expect(await memberRequest(`${base}/metrics`, 1000)).toEqual({ status: 200, text: 'GET - ' });
    expect(await memberRequest(`${base}/v3/maintenance/status`, 1000, '{}')).toEqual({ status: 200, text: 'POST application/json {}' });
    expect((await memberRequest(`${base}/missing`, 1000)).status).toBe(404);
  });

  it('gives up on a member that does not answer in time', async () => {
    await expect(memberRequest(`${base}/silent`, 150)).rejects.toThrow(/did not answer within 150 ms/);
  });

  it('rejects when nobody listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(memberRequest(`http://127.0.0.1:${port}/metrics`, 1000)).rejects.toThrow();
  });
});
