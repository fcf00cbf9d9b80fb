/**
 * Request bytes that are not a message of the method's type. grpc-js answers a decoder's throw
 * with INTERNAL ("Error deserializing request"), the code that means a bug in the node; the
 * fault is the caller's, so such requests are marked while decoding and answered
 * INVALID_ARGUMENT by the handler wrapper in size-limit.ts. (grpc-java, under Zeebe, answers
 * INTERNAL here too; Zen keeps INTERNAL for its own defects.)
 */
const UNDECODABLE = Symbol('undecodable request');

interface Undecodable {
  readonly [UNDECODABLE]: string;
}

export function decodeOrMark(decode: (bytes: Buffer) => unknown, bytes: Buffer): unknown {
  try {
    return decode(bytes);
  } catch (err) {
    return { [UNDECODABLE]: err instanceof Error ? err.message : String(err) } satisfies Undecodable;
  }
}

/** The decoder's complaint when the request could not be decoded, else null. */
export function undecodableReason(request: unknown): string | null {
  return typeof request === 'object' && request !== null && UNDECODABLE in request ? (request as Undecodable)[UNDECODABLE] : null;
}
