/**
 * Which credentials a client command sends, from its flags and the environment. The flags and
 * variables are zbctl's and the Camunda SDK's where they have one, so a shell already set up for
 * them works unchanged. A flag beats a variable; a kind of credentials named by flags beats every
 * kind the environment names. Conflicts and half-given credentials are usage errors (exit 2),
 * whose messages name flags and variables, never their values.
 */
import { InvalidArgumentError } from 'commander';

export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly tokenUrl: string;
      readonly audience?: string;
      readonly scope?: string;
    };

export interface CredentialFlags {
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly authzUrl?: string;
  readonly audience?: string;
  readonly scope?: string;
  readonly caCert?: string;
}

type Env = Readonly<Record<string, string | undefined>>;
type Kind = Exclude<Credentials['kind'], 'none'>;

/** Each setting: its flag and, in order of preference, the variables that give it. */
export const CREDENTIAL_ENV = {
  username: ['ZEN_USERNAME', 'CAMUNDA_BASIC_AUTH_USERNAME'],
  password: ['ZEN_PASSWORD', 'CAMUNDA_BASIC_AUTH_PASSWORD'],
  token: ['ZEN_TOKEN'],
  clientId: ['ZEEBE_CLIENT_ID'],
  clientSecret: ['ZEEBE_CLIENT_SECRET'],
  authzUrl: ['ZEEBE_AUTHORIZATION_SERVER_URL', 'CAMUNDA_OAUTH_URL'],
  audience: ['ZEEBE_TOKEN_AUDIENCE'],
  scope: ['ZEEBE_TOKEN_SCOPE', 'CAMUNDA_TOKEN_SCOPE'],
  caCert: ['ZEN_CA_CERT', 'CAMUNDA_CUSTOM_ROOT_CERT_PATH', 'ZEEBE_CA_CERTIFICATE_PATH'],
} as const satisfies Record<keyof CredentialFlags, readonly string[]>;

const FLAG: Record<keyof CredentialFlags, string> = {
  username: '--username',
  password: '--password',
  token: '--token',
  clientId: '--client-id',
  clientSecret: '--client-secret',
  authzUrl: '--authz-url',
  audience: '--audience',
  scope: '--scope',
  caCert: '--ca-cert',
};

/** The settings that, when given, say which kind of credentials is meant. */
const KIND_OF: Partial<Record<keyof CredentialFlags, Kind>> = {
  username: 'basic',
  password: 'basic',
  token: 'bearer',
  clientId: 'oauth',
  clientSecret: 'oauth',
  authzUrl: 'oauth',
  audience: 'oauth',
  scope: 'oauth',
};

/** Only these variables choose a kind: an audience or token URL alone in a shell chooses nothing. */
const ENV_CHOOSERS: Record<Kind, readonly (keyof CredentialFlags)[]> = {
  basic: ['username', 'password'],
  bearer: ['token'],
  oauth: ['clientId', 'clientSecret'],
};

/** The SDK's CAMUNDA_AUTH_STRATEGY, when the environment names several kinds. */
const STRATEGIES: Record<string, Kind | 'none'> = { BASIC: 'basic', OAUTH: 'oauth', BEARER: 'bearer', NONE: 'none' };

const KIND_FLAGS: Record<Kind, string> = {
  basic: '--username/--password',
  bearer: '--token',
  oauth: '--client-id/--client-secret/--authz-url',
};

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function fromEnv(env: Env, key: keyof CredentialFlags): { value: string; name: string } | undefined {
  for (const name of CREDENTIAL_ENV[key]) {
    const value = env[name];
    if (present(value)) return { value, name };
  }
  return undefined;
}

/** A flag's value, else the first variable that has one. */
export function setting(flags: CredentialFlags, env: Env, key: keyof CredentialFlags): string | undefined {
  const flag = flags[key];
  return present(flag) ? flag : fromEnv(env, key)?.value;
}

function describeSource(key: keyof CredentialFlags): string {
  return [FLAG[key], ...CREDENTIAL_ENV[key]].join(' or ');
}

function chooseKind(flags: CredentialFlags, env: Env): Kind | 'none' {
  const byFlags = new Set<Kind>();
  for (const [key, kind] of Object.entries(KIND_OF) as [keyof CredentialFlags, Kind][]) if (present(flags[key])) byFlags.add(kind);
  if (byFlags.size > 1) {
    throw new InvalidArgumentError(`Give one kind of credentials, not ${[...byFlags].map((k) => KIND_FLAGS[k]).join(' and ')}`);
  }
  if (byFlags.size === 1) return [...byFlags][0]!;

  const byEnv = (Object.keys(ENV_CHOOSERS) as Kind[]).filter((kind) => ENV_CHOOSERS[kind].some((key) => fromEnv(env, key) !== undefined));
  const strategyText = env.CAMUNDA_AUTH_STRATEGY?.trim().toUpperCase();
  if (present(strategyText)) {
    const strategy = STRATEGIES[strategyText];
    if (strategy === undefined) {
      throw new InvalidArgumentError(`CAMUNDA_AUTH_STRATEGY must be one of ${Object.keys(STRATEGIES).join(', ')}`);
    }
    return strategy;
  }
  if (byEnv.length > 1) {
    const names = byEnv.map((kind) => ENV_CHOOSERS[kind].map((key) => fromEnv(env, key)?.name).filter(present).join('/'));
    throw new InvalidArgumentError(
      `The environment gives several kinds of credentials (${names.join(', ')}): choose one with a flag or CAMUNDA_AUTH_STRATEGY`,
    );
  }
  return byEnv[0] ?? 'none';
}

function required(flags: CredentialFlags, env: Env, key: keyof CredentialFlags, forWhat: string): string {
  const value = setting(flags, env, key);
  if (value === undefined) throw new InvalidArgumentError(`${forWhat} needs ${describeSource(key)}`);
  return value;
}

export function resolveCredentials(flags: CredentialFlags, env: Env): Credentials {
  const kind = chooseKind(flags, env);
  switch (kind) {
    case 'none':
      return { kind };
    case 'basic':
      return {
        kind,
        username: required(flags, env, 'username', 'Basic authentication'),
        password: required(flags, env, 'password', 'Basic authentication'),
      };
    case 'bearer':
      return { kind, token: required(flags, env, 'token', 'Bearer authentication') };
    case 'oauth': {
      const what = 'OAuth client credentials';
      const tokenUrl = required(flags, env, 'authzUrl', what);
      let url: URL;
      try {
        url = new URL(tokenUrl);
      } catch {
        throw new InvalidArgumentError(`The token endpoint (${describeSource('authzUrl')}) must be an http:// or https:// URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new InvalidArgumentError(`The token endpoint (${describeSource('authzUrl')}) must be an http:// or https:// URL`);
      }
      const audience = setting(flags, env, 'audience');
      const scope = setting(flags, env, 'scope');
      return {
        kind,
        clientId: required(flags, env, 'clientId', what),
        clientSecret: required(flags, env, 'clientSecret', what),
        tokenUrl,
        ...(audience === undefined ? {} : { audience }),
        ...(scope === undefined ? {} : { scope }),
      };
    }
  }
}

/** Who the credentials name, for messages: never a password, secret or token. */
export function describeCredentials(credentials: Credentials): string {
  switch (credentials.kind) {
    case 'none':
      return 'no credentials';
    case 'basic':
      return `user '${credentials.username}' (basic)`;
    case 'bearer':
      return 'the given token';
    case 'oauth':
      return `client '${credentials.clientId}' (OAuth)`;
  }
}
