/**
 * The cluster secret on the private port (`--cluster-secret`). Nodes never send the secret,
 * nor a fixed token derived from it: each internal call and each snapshot request carries a
 * proof made for that one request, which the receiver accepts once.
 *
 *   v1.<nodeId>.<timestampMs>.<nonce>.<purpose>.<mac>
 *
 * nonce: 16 random bytes, base64url; purpose: what the proof authorizes (the gRPC method
 * path, or `snapshot:<partitionId>`); mac: base64url HMAC-SHA256, under a key derived from the
 * secret, of the version, node id, timestamp, nonce and purpose. A receiver accepts a proof
 * only if the HMAC verifies, the purpose is the request's, the timestamp is within the window
 * of its own clock (±60 s by default: nodes' clocks must agree that well), and the nonce was
 * not accepted before. A captured proof therefore serves for nothing else than the request
 * it came with, once, within that window. Without mutual TLS (--private-tls-*) the port is not
 * encrypted: whoever can watch it can still read what it carries. A proof covers the method, not
 * the message (it is checked before the message is read), so whoever can intercept plain
 * traffic can alter a request in flight, or hold back a proof not yet delivered and use it
 * first; mutual TLS stops that (multiplexer.ts).
 */
import { createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { ZenError } from '../../errors.js';
import { ReplayCache } from './replay-cache.js';

export const PROOF_METADATA_KEY = 'zen-cluster-proof';
export const DEFAULT_PROOF_WINDOW_MS = 60_000;
/**
 * Honest traffic needs (calls per second received) × (window) entries: this allows about
 * 8,000 calls a second into one node, for about 100 bytes each at most.
 */
export const DEFAULT_REPLAY_CACHE_ENTRIES = 500_000;
/** See ClusterAuthOptions.startSkewMs. */
export const DEFAULT_START_SKEW_MS = 1_000;

const VERSION = 'v1';
const NONCE_BYTES = 16;
const MAX_PURPOSE_LENGTH = 256;
// Single encodings only (no leading zeros), and a purpose of visible ASCII: the MAC covers the
// fields exactly as they arrived.
const PROOF_PATTERN = /^v1\.(0|[1-9]\d{0,9})\.([1-9]\d{0,15})\.([A-Za-z0-9_-]{22})\.([!-~]{1,256})\.([A-Za-z0-9_-]{43})$/;

export interface ClusterAuthOptions {
  /** How far a proof's timestamp may be from the receiver's clock (default 60 s). */
  readonly windowMs?: number;
  /** How many accepted proofs are remembered at most (see ReplayCache.admit for when full). */
  readonly replayCacheEntries?: number;
  /**
   * Proofs dated more than this before this object was made are refused (default 1 s). Its
   * replay cache starts empty, so a proof the node's previous run accepted must not pass again;
   * a restart takes longer than this. The cost: just after a restart, a caller whose clock is
   * behind by more than this is refused until its clock passes the start.
   */
  readonly startSkewMs?: number;
  /** The clock proofs are made and checked by (tests move it). */
  readonly now?: () => number;
}

/** Who presented an accepted proof. */
export interface VerifiedProof {
  readonly nodeId: number;
  readonly timestamp: number;
}

/** The snapshot of partition `partitionId`, as a proof's purpose. */
export function snapshotPurpose(partitionId: number): string {
  return `snapshot:${partitionId}`;
}

/** Makes proofs for this node's requests and checks those it receives. */
export class ClusterAuth {
  readonly windowMs: number;
  // A KeyObject in a private field: neither logging nor inspecting the object shows the key.
  readonly #key: KeyObject;
  readonly #now: () => number;
  readonly #seen: ReplayCache;
  readonly #notBefore: number;

  constructor(
    secret: string,
    /** The node presenting this object's proofs. */
    readonly nodeId: number,
    options: ClusterAuthOptions = {},
  ) {
    if (secret === '') throw new Error('A cluster secret must not be empty');
    if (!Number.isSafeInteger(nodeId) || nodeId < 0 || nodeId > 9_999_999_999) throw new Error(`Expected a node id, got ${nodeId}`);
    // A key for this use only: the secret may be used elsewhere too, and is never a MAC key itself.
    this.#key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'zen-private-port', 'zen cluster proof v1', 32)));
    this.windowMs = options.windowMs ?? DEFAULT_PROOF_WINDOW_MS;
    this.#now = options.now ?? Date.now;
    this.#seen = new ReplayCache(options.replayCacheEntries ?? DEFAULT_REPLAY_CACHE_ENTRIES);
    this.#notBefore = this.#now() - (options.startSkewMs ?? DEFAULT_START_SKEW_MS);
  }

  /** A fresh proof authorizing `purpose`, good once within the window. */
  mint(purpose: string): string {
    if (purpose.length > MAX_PURPOSE_LENGTH || !/^[!-~]+$/.test(purpose)) throw new Error(`Not a proof purpose: ${JSON.stringify(purpose)}`);
    const fields = `${VERSION}.${this.nodeId}.${Math.floor(this.#now())}.${randomBytes(NONCE_BYTES).toString('base64url')}.${purpose}`;
    return `${fields}.${this.mac(fields).toString('base64url')}`;
  }

  /**
   * Accepts `proof` for `purpose`, or throws UNAUTHENTICATED (RESOURCE_EXHAUSTED when too many
   * proofs were accepted within the window to remember one more).
   */
  verify(proof: unknown, purpose: string): VerifiedProof {
    if (proof instanceof Buffer) proof = proof.toString('latin1');
    if (typeof proof !== 'string' || proof === '') throw refused('this request presented no proof of it');
    const match = PROOF_PATTERN.exec(proof);
    if (!match) throw refused('this request\'s proof is malformed');
    const [, node, time, nonce, claimed, mac] = match as unknown as [string, string, string, string, string, string];
    const expected = this.mac(proof.slice(0, proof.length - mac.length - 1));
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw refused('this request\'s proof was not made with it (is the secret the same on every node?)');
    }
    if (claimed !== purpose) throw refused(`this request's proof was made for another request (${claimed})`);
    const timestamp = Number(time);
    const now = this.#now();
    if (Math.abs(now - timestamp) > this.windowMs) {
      throw refused(`this request's proof is dated ${timestamp - now} ms from this node's clock, outside ±${this.windowMs} ms (are the nodes' clocks in sync?)`);
    }
    if (timestamp < this.#notBefore) {
      throw refused(`this request's proof is dated before this node started, so it may have been used already (is the caller's clock behind?)`);
    }
    switch (this.#seen.admit(nonce, timestamp + this.windowMs, now)) {
      case 'replayed':
        throw refused('this request\'s proof was already used');
      case 'full':
        throw new ZenError('RESOURCE_EXHAUSTED', `The private port accepted ${this.#seen.capacity} requests within ${this.windowMs} ms and takes no more until some expire`);
      case 'fresh':
        return { nodeId: Number(node), timestamp };
    }
  }

  private mac(fields: string): Buffer {
    return createHmac('sha256', this.#key).update(fields).digest();
  }
}

/** The auth of a node with `secret` (--cluster-secret); null without one (no proofs, no checks). */
export function clusterAuth(secret: string, nodeId: number, options?: ClusterAuthOptions): ClusterAuth | null {
  return secret === '' ? null : new ClusterAuth(secret, nodeId, options);
}

function refused(why: string): ZenError {
  return new ZenError('UNAUTHENTICATED', `The private port requires the cluster secret (--cluster-secret), and ${why}`);
}
