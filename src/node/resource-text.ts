/**
 * Deployed resources travel and are stored as text. Bytes that are not UTF-8 are refused here,
 * in the engine's words for a refused deployment: decoding them leniently would store (and
 * deploy) replacement characters instead of what the client sent.
 */
import { ZenError } from '../errors.js';
import { decodeResource } from '../model/xml-guard.js';

export function resourceText(resourceName: string, content: Buffer): string {
  const decoded = decodeResource(resourceName, content);
  if (!decoded.ok) {
    throw new ZenError('INVALID_ARGUMENT', `Expected to deploy new resources, but encountered the following errors:\n'${resourceName}': ${decoded.message}`);
  }
  // As sent, byte order mark included: the stored resource is the client's document.
  return content.toString('utf8');
}
