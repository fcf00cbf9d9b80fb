/**
 * Who the console calls the API as. Credentials live in sessionStorage: they end with the tab,
 * and no cookie carries them (so no request of another site can use them). The API client reads
 * the Authorization header from here and reports a 401 back, which sends the user to sign-in.
 */

export type AuthMode = 'none' | 'basic' | 'oidc';

const KEY = 'zen.authorization';
const listeners = new Set<() => void>();

export function authorization(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeAuthorization(header: string | null): void {
  try {
    if (header === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, header);
  } catch {
    // Storage refused (private mode quotas): the session then lasts until the next 401.
  }
}

export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

let renewer: (() => Promise<boolean>) | null = null;

/** How a refused session may be renewed without asking the user (OIDC's refresh token). */
export function setSessionRenewer(renew: (() => Promise<boolean>) | null): void {
  renewer = renew;
}

/** Tries to renew the session's credentials; true when there are new ones to retry with. */
export function renewSession(): Promise<boolean> {
  return renewer ? renewer() : Promise.resolve(false);
}

/** The API refused the credentials (or there were none): forget them and ask again. */
export function sessionEnded(): void {
  storeAuthorization(null);
  for (const listener of listeners) listener();
}

export function onSessionEnded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
