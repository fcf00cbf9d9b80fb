/** Who a call comes from, as authentication established it; authorization decides with it. */
export interface Principal {
  readonly kind: 'user' | 'client' | 'anonymous';
  /** username for users, client id for machine clients */
  readonly id: string;
  readonly groups: readonly string[];
  /** token claims for OIDC principals (mapping rules use them later) */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** Every call under `--auth none`. */
export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', id: '', groups: Object.freeze([]) as readonly string[] });

export function userPrincipal(username: string, groups: readonly string[] = []): Principal {
  return Object.freeze({ kind: 'user', id: username, groups: Object.freeze([...groups]) as readonly string[] });
}
