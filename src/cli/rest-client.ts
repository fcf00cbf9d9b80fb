/**
 * The CLI's client of a node's public REST API (`/v2/...`). Every answer other than 2xx becomes
 * a RequestError carrying the problem+json `detail`, so commands handle success only. Each
 * request carries the command's credentials; a 401 is retried once when they can be renewed
 * (a fresh OAuth token), then reported saying which credentials were refused, or that none
 * were given.
 */
import type { Authorization } from './authorization.js';

import { RequestError, type FetchFn } from './request-error.js';

export { RequestError, type FetchFn };

export const DEFAULT_ADDRESS = 'http://localhost:8080';
export const ADDRESS_ENV = 'ZEN_ADDRESS';


export interface Reply {
  readonly status: number;
  /** The body as received: what `--json` prints. Empty for 204. */
  readonly text: string;
  /** The body parsed, or undefined when there is none. */
  readonly body: unknown;
}

/** `localhost:8080` and `http://host:8080/` both mean `http://host:8080`. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

export class RestClient {
  readonly address: string;

  constructor(
    address: string,
    private readonly fetchFn: FetchFn,
    private readonly auth?: Authorization,
  ) {
    this.address = normalizeAddress(address);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('GET', path, undefined, headers);
  }

  /** JSON for a plain value, multipart for FormData (fetch sets the boundary). */
  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('POST', path, body, headers);
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Reply> {
    let { response, text } = await this.attempt(method, path, body, headers);
    if (response.status === 401 && this.auth?.renew()) ({ response, text } = await this.attempt(method, path, body, headers));
    if (response.status === 401) throw new RequestError(this.unauthenticatedMessage(text), 401);
    if (!response.ok) throw new RequestError(problemMessage(response.status, text), response.status);
    let parsed: unknown;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new RequestError(`${method} ${path} answered ${response.status} with a body that is not JSON`, response.status);
      }
    }
    return { status: response.status, text, body: parsed };
  }

  private async attempt(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ response: Response; text: string }> {
    const url = `${this.address}/v2${path}`;
    const authorization = await this.auth?.header();
    const init: RequestInit = {
      method,
      headers: { accept: 'application/json', ...(authorization === undefined ? {} : { authorization }), ...headers },
    };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    let response: Response;
    try {
      response = await this.fetchFn(url, init);
    } catch (err) {
      throw new RequestError(`cannot reach ${this.address}: ${describeNetworkError(err)}`);
    }
    return { response, text: await response.text() };
  }

  private unauthenticatedMessage(text: string): string {
    const problem = problemMessage(401, text);
    if (this.auth === undefined || this.auth.anonymous) {
      return (
        `${this.address} requires authentication (${problem}); give --username and --password, --token, ` +
        'or --client-id, --client-secret and --authz-url (see zen <command> --help for their environment variables)'
      );
    }
    return `${this.address} refused ${this.auth.description} (${problem})`;
  }
}

/** The problem's title and detail; a body that is no problem+json still says what came back. */
export function problemMessage(status: number, text: string): string {
  try {
    const problem = JSON.parse(text) as { title?: unknown; detail?: unknown };
    if (typeof problem.detail === 'string' && problem.detail !== '') {
      return typeof problem.title === 'string' && problem.title !== '' ? `${problem.title}: ${problem.detail}` : problem.detail;
    }
  } catch {
    // Not JSON: fall through to the status and the start of the body.
  }
  const excerpt = text.trim().slice(0, 200);
  return `the node answered ${status}${excerpt === '' ? '' : `: ${excerpt}`}`;
}

/** fetch hides the socket error in `cause` behind "fetch failed". */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== '') return cause.message;
  if (cause && typeof cause === 'object' && 'code' in cause) return String((cause as { code: unknown }).code);
  return err instanceof Error ? err.message : String(err);
}
