export interface Principal {
  readonly kind: 'user' | 'client' | 'anonymous';
  /** username for users, client id for machine clients */
  readonly id: string;
  readonly groups: readonly string[];
  /** token claims for OIDC principals (mapping rules use them later) */
  readonly claims?: Readonly<Record<string, unknown>>;
}
