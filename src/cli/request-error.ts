/** A request that failed: the node (or a token endpoint) refused it, or could not be reached. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** `fetch`, or a stand-in that trusts a given CA (trusting-fetch.ts) or a test's fake. */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;
