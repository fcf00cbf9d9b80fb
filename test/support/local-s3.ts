/** A local S3-compatible server (s3rver) with one bucket, for the S3 backup store's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** The AWS variables a client (a node, `zen restore`) needs for it: s3rver's fixed credentials. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'zen-backups'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'zen-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
