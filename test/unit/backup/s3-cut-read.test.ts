/**
 * A manifest read cut off mid-body is read again. s3rver cuts a GET when the object is replaced
 * while it is being read (a backup's manifests are rewritten as partitions finish); real S3
 * does not, but a connection can drop anywhere.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3BackupStore } from '../../../src/backup/s3-store.js';

describe('S3 backup store', () => {
  let server: Server;
  let gets = 0;
  const manifest = JSON.stringify({ state: 'COMPLETED', note: 'x'.repeat(200) });

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'TEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'TEST');
    server = createServer((req, res) => {
      if (req.method !== 'GET') return void res.writeHead(405).end();
      gets++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(manifest)) });
      // The first read stops halfway, the connection dropped.
      if (gets === 1) res.write(manifest.slice(0, 40), () => res.socket?.destroy());
      else res.end(manifest);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a manifest again when the first read is cut off', async () => {
    const { port } = server.address() as AddressInfo;
    const store = new S3BackupStore({ bucket: 'b', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1' });
    expect(await store.readManifest(1, 'manifest.json')).toEqual(JSON.parse(manifest));
    expect(gets).toBe(2);
  });
});
