import { createHash } from 'node:crypto';

/** A deployed resource's checksum (SHA-256, hex): an unchanged resource redeployed keeps its version. */
export function checksum(resource: string): string {
  return createHash('sha256').update(resource).digest('hex');
}
