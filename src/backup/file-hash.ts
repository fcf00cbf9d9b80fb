/** Copying a stream to a file while hashing it: uploads and downloads check what they moved. */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Digest {
  readonly size: number;
  readonly sha256: string;
}

/** A pass-through that counts and hashes what flows through it; `digest()` once it has ended. */
export function hashingStream(): { stream: Transform; digest: () => Digest } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  let result: Digest | null = null;
  return { stream, digest: () => (result ??= { size, sha256: hash.digest('hex') }) };
}

export async function fileDigest(path: string): Promise<Digest> {
  const { stream, digest } = hashingStream();
  await pipeline(createReadStream(path), stream, async function* (source) {
    for await (const _ of source) void _;
  });
  return digest();
}

/** Writes `source` to `path`, hashing it; a failed copy leaves no file behind. */
export async function writeHashed(source: Readable, path: string): Promise<Digest> {
  const { stream, digest } = hashingStream();
  try {
    await pipeline(source, stream, createWriteStream(path, { flags: 'wx' }));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return digest();
}
