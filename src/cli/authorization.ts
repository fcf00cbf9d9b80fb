/**
 * The Authorization header of the CLI's requests. OAuth client credentials are exchanged for an
 * access token as the Camunda SDK does it (a form body with grant_type=client_credentials,
 * client_id, client_secret and the audience), once per command; a 401 from the node gets one
 * fresh token and one retry, for a token that expired or was revoked between fetch and use.
 * No message here carries the secret, the password or a token.
 */
import { describeCredentials, type Credentials } from './credentials.js';
import { RequestError, type FetchFn } from './request-error.js';

export interface Authorization {
  /** What to send, or undefined for no header. */
  header(): Promise<string | undefined>;
  /** After a 401: forget the token and say whether a retry could help (at most once). */
  renew(): boolean;
  /** Who is authenticating, for messages. */
  readonly description: string;
  readonly anonymous: boolean;
}

/** A URL as it can be shown: without user info, query or fragment. */
export function printableUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(the token endpoint)';
  }
}

function networkCause(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== '') return cause.message;
  if (cause && typeof cause === 'object' && 'code' in cause) return String((cause as { code: unknown }).code);
  return err instanceof Error ? err.message : String(err);
}

/** Only the OAuth error fields are echoed; a provider's body could echo what was sent. */
function oauthError(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') {
      return typeof body.error_description === 'string' && body.error_description !== ''
        ? `${body.error}: ${body.error_description}`
        : body.error;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return `it answered ${status}`;
}

export type TokenRequest = Extract<Credentials, { kind: 'oauth' }>;

/** One client-credentials grant: the access token, or a RequestError (exit 1). */
export async function fetchClientToken(fetchFn: FetchFn, credentials: TokenRequest): Promise<string> {
  const where = printableUrl(credentials.tokenUrl);
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret });
  if (credentials.audience !== undefined) form.set('audience', credentials.audience);
  if (credentials.scope !== undefined) form.set('scope', credentials.scope);
  let response: Response;
  try {
    response = await fetchFn(credentials.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
  } catch (err) {
    throw new RequestError(`cannot reach the token endpoint ${where}: ${networkCause(err)}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new RequestError(`the token endpoint ${where} refused client '${credentials.clientId}': ${oauthError(response.status, text)}`, response.status);
  }
  let token: unknown;
  try {
    token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  } catch {
    // Handled below with the same message.
  }
  if (typeof token !== 'string' || token === '') {
    throw new RequestError(`the token endpoint ${where} answered without an access_token`);
  }
  return token;
}

export function authorizationFor(credentials: Credentials, fetchFn: FetchFn): Authorization {
  const description = describeCredentials(credentials);
  switch (credentials.kind) {
    case 'none':
      return { description, anonymous: true, header: async () => undefined, renew: () => false };
    case 'basic': {
      const value = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
      return { description, anonymous: false, header: async () => value, renew: () => false };
    }
    case 'bearer':
      return { description, anonymous: false, header: async () => `Bearer ${credentials.token}`, renew: () => false };
    case 'oauth': {
      let token: Promise<string> | undefined;
      let renewed = false;
      return {
        description,
        anonymous: false,
        header: async () => `Bearer ${await (token ??= fetchClientToken(fetchFn, credentials))}`,
        renew: () => {
          if (renewed) return false;
          renewed = true;
          token = undefined;
          return true;
        },
      };
    }
  }
}
