/**
 * Backups in S3-compatible object storage (`--backup-store s3`): objects `<backupId>/<name>`
 * in one bucket. Credentials and, unless given, the region come from the AWS SDK's default
 * chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_REGION, profiles,
 * instance roles); Zen never reads or logs them itself. With an endpoint (MinIO, Ceph, a local
 * test server) requests use path-style addressing, which those servers expect.
 */
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FileEntry } from './manifest.js';
import { corruptFile, type BackupStore } from './store.js';
import { fileDigest, writeHashed } from './file-hash.js';

// The SDK warns on every Node older than it will support next year; a node's output is its
// logs, and this line is not about the node.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type S3Module = typeof import('@aws-sdk/client-s3');

export interface S3StoreOptions {
  readonly bucket: string;
  /** e.g. http://127.0.0.1:9000; empty = AWS itself. */
  readonly endpoint?: string;
  /** Empty = from the SDK's chain (AWS_REGION, profile). */
  readonly region?: string;
}

const ID_PREFIX = /^(\d+)\/$/;
const MANIFEST_READ_ATTEMPTS = 5;

export class S3BackupStore implements BackupStore {
  private clientPromise: Promise<{ s3: S3Module; client: InstanceType<S3Module['S3Client']> }> | null = null;

  constructor(private readonly options: S3StoreOptions) {}

  get description(): string {
    return `S3 bucket ${this.options.bucket}${this.options.endpoint ? ` at ${withoutUserInfo(this.options.endpoint)}` : ''}`;
  }

  /** The SDK is loaded on first use: nodes without an S3 store never pay for it. */
  private connect() {
    this.clientPromise ??= import('@aws-sdk/client-s3').then((s3) => {
      const { endpoint, region } = this.options;
      const client = new s3.S3Client({
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        ...(region ? { region } : {}),
        // Only what the operation requires: S3-compatible servers do not all know the newer
        // checksum headers, and every file carries a SHA-256 of Zen's own that is checked on read.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { s3, client };
    });
    return this.clientPromise;
  }

  private key(backupId: number, name: string): string {
    return `${backupId}/${name}`;
  }

  async putFile(backupId: number, name: string, localPath: string): Promise<FileEntry> {
    const { s3, client } = await this.connect();
    const digest = await fileDigest(localPath);
    const { size } = await stat(localPath);
    if (size !== digest.size) throw new Error(`${localPath} changed while it was being uploaded`);
    await client.send(
      new s3.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.key(backupId, name),
        Body: createReadStream(localPath, { start: 0, end: Math.max(0, size - 1) }),
        ContentLength: size,
        Metadata: { sha256: digest.sha256 },
      }),
    );
    return { name, ...digest };
  }

  async getFile(backupId: number, entry: FileEntry, localPath: string): Promise<void> {
    const { s3, client } = await this.connect();
    const response = await client.send(new s3.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(backupId, entry.name) }));
    const digest = await writeHashed(response.Body as Readable, localPath);
    if (digest.size !== entry.size || digest.sha256 !== entry.sha256) {
      await rm(localPath, { force: true });
      throw corruptFile(backupId, entry, digest);
    }
  }

  async writeManifest(backupId: number, name: string, manifest: unknown): Promise<void> {
    const { s3, client } = await this.connect();
    await client.send(
      new s3.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.key(backupId, name),
        Body: `${JSON.stringify(manifest, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    );
  }

  async readManifest(backupId: number, name: string): Promise<unknown> {
    const { s3, client } = await this.connect();
    for (let attempt = 1; ; attempt++) {
      let text: string;
      try {
        const response = await client.send(new s3.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(backupId, name) }));
        text = await response.Body!.transformToString('utf8');
      } catch (err) {
        if (err instanceof s3.NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
        // A read cut off mid-body (s3rver does so when the object is replaced meanwhile): read it again.
        if ((err as { code?: string }).code === 'ECONNRESET' && attempt < MANIFEST_READ_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
          continue;
        }
        throw err;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        // Some S3-compatible servers show an object while it is being replaced: read it again.
        if (attempt >= MANIFEST_READ_ATTEMPTS) throw new Error(`The manifest ${backupId}/${name} in the ${this.description} is not JSON: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  private async listKeys(prefix: string): Promise<string[]> {
    const { s3, client } = await this.connect();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new s3.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async listNames(backupId: number): Promise<string[]> {
    const prefix = `${backupId}/`;
    return (await this.listKeys(prefix)).map((k) => k.slice(prefix.length)).sort();
  }

  async listBackupIds(): Promise<number[]> {
    const { s3, client } = await this.connect();
    const ids: number[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new s3.ListObjectsV2Command({ Bucket: this.options.bucket, Delimiter: '/', ContinuationToken: token }));
      for (const p of page.CommonPrefixes ?? []) {
        const match = ID_PREFIX.exec(p.Prefix ?? '');
        if (match) ids.push(Number(match[1]));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return ids.sort((a, b) => a - b);
  }

  async deleteObjects(backupId: number, names: readonly string[]): Promise<void> {
    const { s3, client } = await this.connect();
    // S3 answers a delete of a missing key with success, as this interface asks.
    for (const name of names) await client.send(new s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(backupId, name) }));
  }
}

/** An endpoint as messages may show it: credentials written into the URL are not. */
function withoutUserInfo(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(endpoint)';
  }
}
