/**
 * The one error catalogue. Every failure a client can see is a ZenError with a code from
 * this table; the gRPC and REST adapters map the code, never the message text.
 */

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'UNIMPLEMENTED'
  | 'UNAVAILABLE'
  | 'CANCELLED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INTERNAL';

interface CatalogueEntry {
  /** gRPC status code number (see @grpc/grpc-js `status`). */
  readonly grpc: number;
  readonly http: number;
  readonly title: string;
}

export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, CatalogueEntry>> = {
  CANCELLED: { grpc: 1, http: 499, title: 'Request cancelled' },
  INVALID_ARGUMENT: { grpc: 3, http: 400, title: 'Invalid argument' },
  DEADLINE_EXCEEDED: { grpc: 4, http: 504, title: 'Deadline exceeded' },
  NOT_FOUND: { grpc: 5, http: 404, title: 'Not found' },
  ALREADY_EXISTS: { grpc: 6, http: 409, title: 'Already exists' },
  RESOURCE_EXHAUSTED: { grpc: 8, http: 429, title: 'Resource exhausted' },
  FAILED_PRECONDITION: { grpc: 9, http: 409, title: 'Invalid state' },
  UNIMPLEMENTED: { grpc: 12, http: 501, title: 'Not implemented' },
  INTERNAL: { grpc: 13, http: 500, title: 'Internal error' },
  UNAVAILABLE: { grpc: 14, http: 503, title: 'Unavailable' },
  UNAUTHENTICATED: { grpc: 16, http: 401, title: 'Unauthenticated' },
  /** Known, but not allowed on this node (e.g. the clock endpoints without clockControl). */
  FORBIDDEN: { grpc: 7, http: 403, title: 'Forbidden' },
};

export class ZenError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ZenError';
  }
}

export function isZenError(err: unknown): err is ZenError {
  return err instanceof ZenError;
}

/** Wraps anything thrown into a ZenError; unknown errors become INTERNAL with their message. */
export function toZenError(err: unknown): ZenError {
  if (err instanceof ZenError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ZenError('INTERNAL', `Unexpected error: ${message}`);
}

/** Rejection types written to the record stream, as Zeebe names them. */
export type RejectionType =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_STATE'
  | 'PROCESSING_ERROR'
  | 'EXCEEDED_BATCH_RECORD_SIZE';

export function rejectionToErrorCode(type: RejectionType | 'NOT_LEADER' | 'UNKNOWN_OUTCOME'): ErrorCode {
  switch (type) {
    case 'NOT_LEADER':
      return 'UNAVAILABLE';
    // As Zeebe's gateway answers a request whose broker reply never came: it may have happened,
    // so a client must not take it for a refusal (UNAVAILABLE) and blindly send it again.
    case 'UNKNOWN_OUTCOME':
      return 'DEADLINE_EXCEEDED';
    case 'INVALID_ARGUMENT':
      return 'INVALID_ARGUMENT';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'ALREADY_EXISTS':
      return 'ALREADY_EXISTS';
    case 'INVALID_STATE':
      return 'FAILED_PRECONDITION';
    case 'EXCEEDED_BATCH_RECORD_SIZE':
      return 'RESOURCE_EXHAUSTED';
    case 'PROCESSING_ERROR':
      return 'INTERNAL';
  }
}
