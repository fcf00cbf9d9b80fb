/**
 * How a partition-log entry and the log head look in etcd.
 *
 * The head is `<index>:<position>:<token>`: the last entry's index, the position of its last
 * record (followers tell their lag in records from it), and the token of the append that wrote
 * it. Every append is conditioned on the exact head value it follows, token included, so an
 * append can only land on top of the very entries it was processed after — not on different
 * entries that happen to end at the same index and position (a leader that rebuilt its state
 * after an unknown outcome and processed other commands into the same index).
 *
 * An entry is a v8-serialized `StoredEntry`; its records are deflated when that makes them
 * smaller. Records larger than `ENTRY_CHUNK` once deflated go in chunk keys of their own,
 * `log/<index>/<token>/<n>`: keyed by the append's token, so no append can ever overwrite the
 * chunks of another (a committed entry's chunks stay what its metadata was committed with).
 */
import { deserialize, serialize } from 'node:v8';
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRaw, inflateRawSync, constants } from 'node:zlib';
import { padIndex } from '../etcd/client.js';
import type { RawLogEntry } from '../../storage/log-entry.js';

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/** etcd caps a request at 1.5 MiB; records beyond this (deflated) are split into chunk keys. */
export const ENTRY_CHUNK = 1024 * 1024;
/** Below this, deflating costs more than the bytes it saves. */
const MIN_DEFLATE_BYTES = 256;
/**
 * Up to this size records are (in)flated synchronously. zlib's callback form builds a stream
 * and goes through the thread pool: 2–7 times the CPU of doing it in place at every size
 * measured (deflate and inflate: 3 KB 150 against 20 µs; 125 KB 1.5–1.9 against 0.2–0.4 ms;
 * 1 MB 4.8–6.2 against 2.1–2.3 ms), and under load most entries are tens of KB. In place, a
 * 1 MB entry holds the event loop for about 2 ms, a tenth of one young-generation GC pause;
 * only larger ones (big variables) go to the pool. `node bench/zlib-modes.mjs` measures it.
 */
const SYNC_ZLIB_BYTES = ENTRY_CHUNK;

/** Where the log ends: its last index, that entry's last record position, and the append that wrote it. */
export interface HeadMark {
  readonly index: number;
  readonly position: number;
  /** Empty for an empty log. */
  readonly token: string;
}

export const EMPTY_HEAD: HeadMark = { index: 0, position: 0, token: '' };

export function formatHead(mark: HeadMark): string {
  return `${mark.index}:${mark.position}:${mark.token}`;
}

export function parseHead(value: string | null | undefined): HeadMark {
  if (value === null || value === undefined) return EMPTY_HEAD;
  const [index, position, token] = value.split(':');
  return { index: Number(index), position: Number(position ?? 0), token: token ?? '' };
}

/** The head an entry run ends at, when appended with `token`. */
export function headAfter(entry: RawLogEntry, token: string): HeadMark {
  return { index: entry.index, position: entry.lastPosition, token };
}

export interface StoredEntry {
  readonly index: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly keyCounter: bigint;
  /** The append that wrote it: tells a leader whether an entry it finds is its own. */
  readonly token: string;
  readonly deflated: boolean;
  /** The (possibly deflated) records inline, or null when they are in `chunks` chunk keys. */
  readonly data: Uint8Array | null;
  readonly chunks: number;
}

/** An entry ready to be written: its metadata value and the chunks to write before it. */
export interface EncodedEntry {
  readonly index: number;
  readonly value: Buffer;
  readonly chunks: readonly Buffer[];
  /** Bytes written to etcd for it (metadata and chunks). */
  readonly bytes: number;
}

export function logKey(prefix: string, index: number): string {
  return `${prefix}log/${padIndex(index)}`;
}

export function chunkKey(prefix: string, index: number, token: string, n: number): string {
  return `${logKey(prefix, index)}/${token}/${n}`;
}

export async function encodeStoredEntry(entry: RawLogEntry, token: string): Promise<EncodedEntry> {
  let data = entry.data;
  let deflated = false;
  if (data.byteLength >= MIN_DEFLATE_BYTES) {
    const packed = data.byteLength <= SYNC_ZLIB_BYTES ? deflateRawSync(data, { level: constants.Z_BEST_SPEED }) : await deflate(data, { level: constants.Z_BEST_SPEED });
    if (packed.byteLength < data.byteLength) {
      data = packed;
      deflated = true;
    }
  }
  const chunks: Buffer[] = [];
  if (data.byteLength > ENTRY_CHUNK) {
    for (let offset = 0; offset < data.byteLength; offset += ENTRY_CHUNK) {
      const part = data.subarray(offset, offset + ENTRY_CHUNK);
      chunks.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    }
  }
  const stored: StoredEntry = {
    index: entry.index,
    firstPosition: entry.firstPosition,
    lastPosition: entry.lastPosition,
    keyCounter: entry.keyCounter,
    token,
    deflated,
    data: chunks.length === 0 ? data : null,
    chunks: chunks.length,
  };
  const value = serialize(stored);
  return { index: entry.index, value, chunks, bytes: value.byteLength + chunks.reduce((n, c) => n + c.byteLength, 0) };
}

export function readStoredEntry(value: Buffer): StoredEntry {
  return deserialize(value) as StoredEntry;
}

/** The entry's records as the leader produced them; `chunk(n)` supplies chunk keys' values. */
export async function decodeStoredEntry(stored: StoredEntry, chunk: (n: number) => Buffer | undefined): Promise<RawLogEntry> {
  let data = stored.data;
  if (data === null) {
    const pieces: Buffer[] = [];
    for (let n = 0; n < stored.chunks; n++) {
      const piece = chunk(n);
      if (!piece) throw new Error(`Partition-log entry ${stored.index} lacks chunk ${n} of ${stored.chunks}`);
      pieces.push(piece);
    }
    data = Buffer.concat(pieces);
  }
  // Deflate shrinks at most about 1,000:1, so 4 KiB deflated is a few MiB at worst (a few ms in place).
  if (stored.deflated) data = data.byteLength <= SYNC_ZLIB_BYTES / 16 ? inflateRawSync(data) : await inflate(data);
  return { index: stored.index, firstPosition: stored.firstPosition, lastPosition: stored.lastPosition, keyCounter: stored.keyCounter, data };
}
