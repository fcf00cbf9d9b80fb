/**
 * Signing in under `--auth oidc`: the authorization code flow with PKCE (S256) of a public
 * client, in the browser. The node names the issuer and client id (/ui/config.json); the
 * provider's discovery document names its endpoints. The verifier and state wait in
 * sessionStorage across the redirect; the access token then becomes the session's
 * Authorization header, as Basic credentials do under `--auth basic`, and a refresh token, when
 * the provider gives one, renews it (oidc-refresh.ts).
 */
import type { OidcConfig } from './config';
import { randomToken, s256Challenge } from './pkce';
import { keepTokens, refreshSession, setIdTokenListener, stopRefreshing, type TokenAnswer } from './oidc-refresh';
import { setSessionRenewer, storeAuthorization } from './session';
import { currentPath } from '../lib/router';

/** Where the provider sends the browser back (register it with the client). */
export const CALLBACK_PATH = '/callback';

const PENDING = 'zen.oidc.pending';
/** Set while the token the provider just issued has not yet been accepted by the node. */
const UNCONFIRMED = 'zen.oidc.unconfirmed';
const LOGOUT = 'zen.oidc.logout';

interface Discovery {
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly end_session_endpoint?: string;
}

interface Pending {
  readonly state: string;
  readonly verifier: string;
  readonly tokenEndpoint: string;
  readonly redirectUri: string;
  readonly clientId: string;
  readonly returnTo: string;
  readonly endSession?: string;
}

const redirectUri = () => `${location.origin}/ui${CALLBACK_PATH}`;

async function discover(issuer: string): Promise<Discovery> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit' });
  } catch (err) {
    throw new Error(`The identity provider did not answer (${url}): ${(err as Error).message}`);
  }
  if (!response.ok) throw new Error(`The identity provider answered ${response.status} to ${url}`);
  const document = (await response.json()) as Partial<Discovery>;
  if (!document.authorization_endpoint || !document.token_endpoint) throw new Error(`The identity provider's discovery document names no authorization or token endpoint (${url})`);
  return document as Discovery;
}

/** The console page the user is on, with its query (the instances' filters live there). */
const here = () => `${currentPath()}${location.search}${location.hash}`;

let leaving: Promise<void> | null = null;

/**
 * Leaves the page for the provider's sign-in; `returnTo` is the console path to come back to.
 * Once: several calls refused at the same moment would otherwise each keep their own state and
 * verifier, and the callback would find another sign-in's.
 */
export function startOidcSignIn(config: OidcConfig, returnTo: string = here()): Promise<void> {
  leaving ??= goToProvider(config, returnTo).catch((err: unknown) => {
    leaving = null;
    throw err;
  });
  return leaving;
}

async function goToProvider(config: OidcConfig, returnTo: string): Promise<void> {
  const discovery = await discover(config.issuer);
  const state = randomToken();
  const verifier = randomToken();
  const pending: Pending = {
    state,
    verifier,
    tokenEndpoint: discovery.token_endpoint,
    redirectUri: redirectUri(),
    clientId: config.clientId,
    returnTo: returnTo.startsWith(CALLBACK_PATH) ? '/' : returnTo,
    ...(discovery.end_session_endpoint ? { endSession: discovery.end_session_endpoint } : {}),
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: pending.redirectUri,
    scope: config.scope,
    state,
    code_challenge: await s256Challenge(verifier),
    code_challenge_method: 'S256',
    // Providers that issue tokens per API (Auth0, Entra) need it named; others ignore it.
    ...(config.audience ? { audience: config.audience } : {}),
  }).toString();
  location.assign(url.toString());
}

/** On the callback page: trades the code for tokens, keeps the access token, and answers where to go. */
export async function completeOidcSignIn(): Promise<string> {
  const params = new URLSearchParams(location.search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const error = params.get('error');
  if (error) throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') ?? error}`);
  if (!raw) throw new Error('No sign-in was started in this tab; start again.');
  const pending = JSON.parse(raw) as Pending;
  const code = params.get('code');
  if (!code || params.get('state') !== pending.state) throw new Error('The answer of the identity provider does not belong to the sign-in this tab started; start again.');
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri, client_id: pending.clientId, code_verifier: pending.verifier }),
  });
  const tokens = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (!response.ok || !tokens.access_token) throw new Error(`The identity provider did not issue a token: ${tokens.error_description ?? tokens.error ?? `HTTP ${response.status}`}`);
  storeAuthorization(`Bearer ${tokens.access_token}`);
  sessionStorage.setItem(UNCONFIRMED, '1');
  if (pending.endSession) sessionStorage.setItem(LOGOUT, JSON.stringify({ endSession: pending.endSession, idToken: tokens.id_token ?? null, clientId: pending.clientId }));
  keepTokens(tokens, pending);
  return pending.returnTo;
}

/**
 * The node accepted the session's token: a later refusal is its expiry, not a provider the node
 * distrusts, so from now on a refused token is renewed with the refresh token first.
 */
export function confirmOidcToken(): void {
  sessionStorage.removeItem(UNCONFIRMED);
  setSessionRenewer(refreshSession);
}

/** A newer ID token (from a refresh) is the one the provider's logout should be told of. */
setIdTokenListener((idToken) => {
  const raw = sessionStorage.getItem(LOGOUT);
  if (raw) sessionStorage.setItem(LOGOUT, JSON.stringify({ ...(JSON.parse(raw) as object), idToken }));
});

/**
 * Whether a refused token may send the user straight back to the provider. Not when the node
 * refuses the very token the provider just issued (wrong audience, another issuer, clocks apart):
 * the provider would issue the same again and the tab would go round for ever. A token the node
 * once accepted has expired, and a fresh one from the provider will do.
 */
export function mayResignInSilently(): boolean {
  return sessionStorage.getItem(UNCONFIRMED) === null;
}

/** Forgets the token; with a provider that offers it, ends the provider's session too (leaving the page). */
export function signOutOidc(): void {
  storeAuthorization(null);
  stopRefreshing();
  setSessionRenewer(null);
  sessionStorage.removeItem(UNCONFIRMED);
  const raw = sessionStorage.getItem(LOGOUT);
  sessionStorage.removeItem(LOGOUT);
  if (!raw) return;
  const { endSession, idToken, clientId } = JSON.parse(raw) as { endSession: string; idToken: string | null; clientId: string };
  const url = new URL(endSession);
  url.search = new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: `${location.origin}/ui/`, ...(idToken ? { id_token_hint: idToken } : {}) }).toString();
  location.assign(url.toString());
}
