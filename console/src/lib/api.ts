/**
 * The one client of the public `/v2` API every page uses: JSON in and out, the session's
 * Authorization header, Camunda's problem details turned into ApiError, and a 401 renewing the
 * session once (OIDC's refresh token) or else ending it. `credentials: 'omit'`: the console
 * sends its own header and no cookie, and under the Fetch standard a browser prompts for Basic
 * credentials only when a request includes credentials.
 */
import { authorization, onSessionEnded, renewSession, sessionEnded } from '../auth/session';
import { conditionalGet, forgetKept } from './revalidate';

export const API_BASE = '/v2';

onSessionEnded(forgetKept);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

export interface FetchOptions {
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Overrides the session's header (null: none), for sign-in checks. */
  readonly authorization?: string | null;
}

/** The raw response, for the few callers that read headers or statuses themselves. */
export function fetchApi(method: string, path: string, options: FetchOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json, text/xml' };
  const auth = options.authorization === undefined ? authorization() : options.authorization;
  if (auth) headers.authorization = auth;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const init: RequestInit = { method, headers, body, signal: options.signal, credentials: 'omit', cache: 'no-store' };
  // A GET is asked again with the ETag of the answer kept for it (a 304 reads as that 200).
  if (method === 'GET') return conditionalGet(API_BASE + path, init, auth);
  return fetch(API_BASE + path, init);
}

/** Calls the API; resolves with its JSON (or text for XML, undefined for 204), rejects with ApiError. */
export async function api<T>(method: string, path: string, options: FetchOptions = {}): Promise<T> {
  let sent = authorization();
  let response = await fetchApi(method, path, options);
  // A refused session token is made again with the one another call renewed it to meanwhile, or
  // renewed here (once); a few tries at most, then the session ends below.
  let renewed = false;
  for (let tries = 0; response.status === 401 && options.authorization === undefined && tries < 3; tries++) {
    const current = authorization();
    const changed = current !== null && current !== sent;
    if (!changed && (renewed || !(await renewSession()))) break;
    if (!changed) renewed = true;
    sent = authorization();
    response = await fetchApi(method, path, options);
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && options.authorization === undefined) sessionEnded();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, { signal });
export const post = <T>(path: string, body?: unknown, signal?: AbortSignal) => api<T>('POST', path, { body, signal });

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string };
    return new ApiError(response.status, problem.title ?? `HTTP ${response.status}`, problem.detail ?? '');
  } catch {
    return new ApiError(response.status, `HTTP ${response.status}`, text.slice(0, 500));
  }
}

/** A path segment from a key or id, escaped. */
export const seg = (value: string | number) => encodeURIComponent(String(value));
