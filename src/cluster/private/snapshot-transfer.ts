/**
 * Snapshot transfer on the private port (first byte `S`), plain bytes on TCP so a large
 * snapshot database (SqliteStore.snapshotTo) streams with nothing in between.
 *
 *   client → `S{"partitionId":N,"proof":P}\n`  (P: a proof for `snapshot:N`, see auth.ts; checked
 *            when the node has a secret, before anything else is done or sent)
 *   server → `{"ok":true,"index":I,"size":B,"sha256":H}\n` + exactly B bytes, then closes
 *          | `{"ok":false,"error":"…"}\n`, then closes
 *
 * The client trusts the file only if exactly B bytes arrived before the server closed and
 * their SHA-256 is H (hex).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { ZenError } from '../../errors.js';
import { syncDirectoryAsync } from '../../storage/durable-paths.js';
import { snapshotPurpose, type ClusterAuth } from './auth.js';
import { SNAPSHOT_FIRST_BYTE } from './multiplexer.js';
import type { TlsSource } from '../../tls/watcher.js';

/** A snapshot the partition holds for the duration of one transfer. */
export interface SnapshotFile {
  readonly path: string;
  /** The partition-log index the snapshot includes. */
  readonly index: number;
  /** Called once the transfer has ended, however it ended. */
  release(): Promise<void>;
}

export type SnapshotProvider = (partitionId: number) => Promise<SnapshotFile>;

/** Header lines are tiny (a proof is some 110 bytes); anything longer is not this protocol. */
const MAX_HEADER_BYTES = 4096;

interface SnapshotRequest {
  readonly partitionId: number;
  readonly proof: unknown;
}

type SnapshotHeader = { ok: true; index: number; size: number; sha256: string } | { ok: false; error: string };

export interface SnapshotServerOptions {
  readonly provider: SnapshotProvider | undefined;
  readonly logger: Logger;
  /** Checks the proof requests must carry (see auth.ts); unset: no check. */
  readonly auth?: ClusterAuth | null;
  /** The request line must arrive within this time (default 10 s). */
  readonly headerTimeoutMs?: number;
  /** A transfer that makes no progress for this long is aborted (default 60 s). */
  readonly transferIdleTimeoutMs?: number;
}

/** Serves one snapshot connection (its `S` byte still unread). */
export function serveSnapshotConnection(socket: Socket, options: SnapshotServerOptions): void {
  const { logger } = options;
  socket.on('timeout', () => {
    logger.debug({ remote: socket.remoteAddress }, 'snapshot connection idle for too long; closing it');
    socket.destroy();
  });
  socket.setTimeout(options.headerTimeoutMs ?? 10_000);
  readLine(socket, 1)
    .then(async ({ line }) => {
      // Making the snapshot may take a while; the receiver's own timeout bounds that wait.
      socket.setTimeout(0);
      const request = parseRequest(line);
      options.auth?.verify(request.proof, snapshotPurpose(request.partitionId));
      if (!options.provider) throw new ZenError('UNAVAILABLE', 'This node does not serve snapshots');
      const snapshot = await options.provider(request.partitionId);
      try {
        const { size } = await stat(snapshot.path);
        const sha256 = await fileHash(snapshot.path, size);
        // A receiver that stops reading would otherwise hold the snapshot (and its file) forever.
        socket.setTimeout(options.transferIdleTimeoutMs ?? 60_000);
        await writeHeader(socket, { ok: true, index: snapshot.index, size, sha256 });
        logger.info({ partition: request.partitionId, index: snapshot.index, size, remote: socket.remoteAddress }, 'sending snapshot');
        // Exactly the announced bytes, even if the file were to grow meanwhile.
        if (size > 0) await pipeline(createReadStream(snapshot.path, { start: 0, end: size - 1 }), socket);
        else socket.end();
      } finally {
        await snapshot.release().catch((err) => logger.warn({ err, partition: request.partitionId }, 'releasing a sent snapshot failed'));
      }
    })
    .catch(async (err: unknown) => {
      if (socket.destroyed) {
        logger.debug({ err }, 'snapshot transfer aborted');
        return;
      }
      const error = err instanceof Error ? err.message : String(err);
      logger.debug({ err }, 'snapshot request failed');
      // Until the header went out the client can still be told why.
      if (!socket.writableEnded && socket.bytesWritten === 0) await writeHeader(socket, { ok: false, error }).catch(() => {});
      socket.end();
      socket.destroySoon();
    });
}

/** SHA-256 (hex) of the first `size` bytes of a file. */
async function fileHash(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size > 0) for await (const chunk of createReadStream(path, { start: 0, end: size - 1 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function parseRequest(line: string): SnapshotRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new ZenError('INVALID_ARGUMENT', 'Expected a JSON snapshot request line');
  }
  const partitionId = (parsed as { partitionId?: unknown } | null)?.partitionId;
  if (typeof partitionId !== 'number' || !Number.isInteger(partitionId) || partitionId < 1) {
    throw new ZenError('INVALID_ARGUMENT', `Expected a positive integer partitionId in the snapshot request, got ${JSON.stringify(partitionId)}`);
  }
  return { partitionId, proof: (parsed as { proof?: unknown }).proof };
}

function writeHeader(socket: Socket, header: SnapshotHeader): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(`${JSON.stringify(header)}\n`, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Reads one `\n`-terminated line after skipping `skip` bytes; whatever followed the line is
 * returned as well (the start of the payload, for the client).
 */
function readLine(socket: Socket, skip: number): Promise<{ line: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(0x0a, skip);
      if (newline < 0) {
        if (buffered.length > MAX_HEADER_BYTES) {
          cleanup();
          reject(new ZenError('INVALID_ARGUMENT', `Snapshot header line longer than ${MAX_HEADER_BYTES} bytes`));
        }
        return;
      }
      cleanup();
      socket.pause();
      resolve({ line: buffered.subarray(skip, newline).toString('utf8'), rest: buffered.subarray(newline + 1) });
    };
    const onEnd = () => {
      cleanup();
      reject(new ZenError('UNAVAILABLE', 'The connection closed before the snapshot header line was complete'));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    socket.resume();
  });
}

export interface FetchSnapshotOptions {
  /** The whole transfer, connect to rename (default 10 min). */
  readonly timeoutMs?: number;
  /** Connect and answer, which may include making the snapshot (default 2 min). */
  readonly headerTimeoutMs?: number;
  /** Once the file streams, no byte for this long fails the transfer (default 30 s). */
  readonly idleTimeoutMs?: number;
  /** Makes the proof the request presents (see auth.ts); unset: none. */
  readonly auth?: ClusterAuth | null;
  /** Mutual TLS with the peer (the certificate current when the connection opens); unset: plain TCP. */
  readonly tls?: TlsSource | null;
}

/** host:port, with IPv6 hosts in brackets. */
export function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Expected host:port, got '${address}'`);
  let host = address.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

/**
 * Fetches partition `partitionId`'s snapshot from the node at `address` (its private port)
 * into `destPath`. The file appears there only complete: it is written beside it under a
 * temporary name, synced, and renamed, and the directory is synced before this resolves, so
 * the snapshot is on disk under `destPath` once it does.
 */
export async function fetchSnapshot(
  address: string,
  partitionId: number,
  destPath: string,
  options: FetchSnapshotOptions = {},
): Promise<{ index: number; size: number }> {
  const { host, port } = splitAddress(address);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const headerTimeoutMs = options.headerTimeoutMs ?? 120_000;
  const tempPath = join(dirname(destPath), `.${basename(destPath)}.${randomBytes(4).toString('hex')}.part`);
  const tls = options.tls?.current;
  const socket: Socket = tls
    ? connectTls({
        host,
        port,
        cert: tls.cert,
        key: tls.key,
        ca: tls.ca ?? undefined,
        // The peer's certificate must chain to the cluster CA; its names are not checked (ADR 011).
        checkServerIdentity: () => undefined,
      })
    : connect({ host, port });
  const connected = tls ? 'secureConnect' : 'connect';
  // Failures surface through the awaited steps below; this keeps a late one from being unhandled.
  socket.on('error', () => {});
  const fail = (message: string) => new ZenError('UNAVAILABLE', `Snapshot of partition ${partitionId} from ${address}: ${message}`);
  let failure: ZenError | null = null;
  const abort = (err: ZenError) => {
    failure ??= err;
    socket.destroy(err);
  };
  const overall = setTimeout(() => abort(fail(`not complete after ${timeoutMs} ms`)), timeoutMs);
  let waitingFor = `no answer within ${headerTimeoutMs} ms`;
  socket.on('timeout', () => abort(fail(waitingFor)));
  socket.setTimeout(headerTimeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once(connected, resolve);
      socket.once('error', reject);
    });
    // Minted once connected, so that the proof's time is not spent waiting for the connection.
    const request = options.auth ? { partitionId, proof: options.auth.mint(snapshotPurpose(partitionId)) } : { partitionId };
    socket.write(Buffer.concat([Buffer.from([SNAPSHOT_FIRST_BYTE]), Buffer.from(`${JSON.stringify(request)}\n`)]));
    const { line, rest } = await readLine(socket, 0);
    const header = parseHeader(line);
    if (!header.ok) throw fail(header.error);
    waitingFor = `no data for ${idleTimeoutMs} ms`;
    socket.setTimeout(idleTimeoutMs);
    const received = await receiveBody(socket, rest, tempPath);
    if (received.bytes !== header.size) throw fail(`transfer ended after ${received.bytes} of ${header.size} bytes`);
    if (received.sha256 !== header.sha256) throw fail(`the received bytes do not match the snapshot's SHA-256 (corrupted in transit)`);
    await rename(tempPath, destPath);
    await syncDirectoryAsync(dirname(destPath));
    return { index: header.index, size: header.size };
  } catch (err) {
    await unlink(tempPath).catch(() => {});
    if (failure) throw failure;
    if (err instanceof ZenError) throw err;
    throw fail((err as Error).message);
  } finally {
    clearTimeout(overall);
    socket.destroy();
  }
}

function parseHeader(line: string): SnapshotHeader {
  let header: Partial<{ ok: unknown; index: unknown; size: unknown; sha256: unknown; error: unknown }>;
  try {
    header = JSON.parse(line);
  } catch {
    throw new Error(`malformed header line ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (
    header.ok === true &&
    Number.isSafeInteger(header.index) &&
    Number.isSafeInteger(header.size) &&
    (header.size as number) >= 0 &&
    typeof header.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(header.sha256)
  ) {
    return { ok: true, index: header.index as number, size: header.size as number, sha256: header.sha256 };
  }
  if (header.ok === false) return { ok: false, error: String(header.error ?? 'the node refused without a reason') };
  throw new Error(`malformed header line ${JSON.stringify(line.slice(0, 200))}`);
}

/** Writes everything until the server closes; returns the byte count and their SHA-256. */
async function receiveBody(socket: Socket, first: Buffer, tempPath: string): Promise<{ bytes: number; sha256: string }> {
  let received = 0;
  const hash = createHash('sha256');
  async function* counted(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    if (first.length > 0) {
      received += first.length;
      hash.update(first);
      yield first;
    }
    for await (const chunk of source) {
      received += chunk.length;
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(socket, counted, createWriteStream(tempPath, { flags: 'wx' }));
  const handle = await open(tempPath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes: received, sha256: hash.digest('hex') };
}
