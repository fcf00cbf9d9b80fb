/**
 * The cluster secret on the private port (`--cluster-secret`). Nodes present a token derived
 * from it — never the secret itself, which may be used elsewhere too — in the metadata of
 * every internal call and in every snapshot request. The port is not encrypted, so this keeps
 * out whoever can reach it but not whoever can watch its traffic.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ZenError } from '../../errors.js';

export const AUTH_METADATA_KEY = 'zen-cluster-token';

/** The token for a secret; empty when no secret is set (no check). */
export function clusterToken(secret: string): string {
  return secret === '' ? '' : createHash('sha256').update(`zen-private-port\0${secret}`).digest('hex');
}

/** Throws UNAUTHENTICATED unless `presented` is the expected token (any, when none is expected). */
export function checkToken(expected: string, presented: unknown): void {
  if (expected === '') return;
  const given = typeof presented === 'string' ? Buffer.from(presented) : Buffer.from(presented instanceof Buffer ? presented : '');
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new ZenError('UNAUTHENTICATED', 'The private port requires the cluster secret (--cluster-secret), and this request did not present it');
  }
}
