/** Which credentials a client command sends, from flags and the zbctl / SDK environment. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { describeCredentials, resolveCredentials, setting } from '../../../src/cli/credentials.js';

const TOKEN_URL = 'http://127.0.0.1:1/token';

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('resolveCredentials', () => {
  it('sends nothing when nothing is given, and ignores empty variables', () => {
    expect(resolveCredentials({}, {})).toEqual({ kind: 'none' });
    expect(resolveCredentials({}, { ZEN_USERNAME: '', ZEEBE_CLIENT_ID: '' })).toEqual({ kind: 'none' });
  });

  it('takes basic credentials from flags, ZEN_* or the SDK variables, flags first', () => {
    expect(resolveCredentials({ username: 'ann', password: 'pw1' }, { ZEN_USERNAME: 'bob', ZEN_PASSWORD: 'pw2' })).toEqual({ kind: 'basic', username: 'ann', password: 'pw1' });
    expect(resolveCredentials({}, { ZEN_USERNAME: 'bob', ZEN_PASSWORD: 'pw2', CAMUNDA_BASIC_AUTH_USERNAME: 'cid' })).toEqual({ kind: 'basic', username: 'bob', password: 'pw2' });
    expect(resolveCredentials({}, { CAMUNDA_BASIC_AUTH_USERNAME: 'cid', CAMUNDA_BASIC_AUTH_PASSWORD: 'pw3' })).toEqual({ kind: 'basic', username: 'cid', password: 'pw3' });
    // A flag completes from the environment.
    expect(resolveCredentials({ username: 'ann' }, { ZEN_PASSWORD: 'pw2' })).toEqual({ kind: 'basic', username: 'ann', password: 'pw2' });
  });

  it('names the missing half of basic credentials without printing the given one', () => {
    const message = usageError(() => resolveCredentials({ password: 'Secret-123' }, {}));
    expect(message).toBe('Basic authentication needs --username or ZEN_USERNAME or CAMUNDA_BASIC_AUTH_USERNAME');
    expect(usageError(() => resolveCredentials({ username: 'ann' }, {}))).toMatch(/needs --password or ZEN_PASSWORD or CAMUNDA_BASIC_AUTH_PASSWORD$/);
  });

  it('takes a bearer token from --token or ZEN_TOKEN', () => {
    expect(resolveCredentials({ token: 'abc' }, {})).toEqual({ kind: 'bearer', token: 'abc' });
    expect(resolveCredentials({}, { ZEN_TOKEN: 'def' })).toEqual({ kind: 'bearer', token: 'def' });
  });

  it("takes OAuth client credentials with zbctl's and the SDK's variables", () => {
    expect(
      resolveCredentials({}, { ZEEBE_CLIENT_ID: 'w', ZEEBE_CLIENT_SECRET: 's', CAMUNDA_OAUTH_URL: TOKEN_URL, ZEEBE_TOKEN_AUDIENCE: 'zeebe-api', CAMUNDA_TOKEN_SCOPE: 'x' }),
    ).toEqual({ kind: 'oauth', clientId: 'w', clientSecret: 's', tokenUrl: TOKEN_URL, audience: 'zeebe-api', scope: 'x' });
    expect(
      resolveCredentials({ clientId: 'f', clientSecret: 'fs', authzUrl: TOKEN_URL }, { ZEEBE_AUTHORIZATION_SERVER_URL: 'http://other/t', ZEEBE_CLIENT_ID: 'w' }),
    ).toEqual({ kind: 'oauth', clientId: 'f', clientSecret: 'fs', tokenUrl: TOKEN_URL });
    expect(resolveCredentials({}, { ZEEBE_CLIENT_ID: 'w', ZEEBE_CLIENT_SECRET: 's', ZEEBE_AUTHORIZATION_SERVER_URL: TOKEN_URL, CAMUNDA_OAUTH_URL: 'http://x/y' })).toMatchObject({ tokenUrl: TOKEN_URL });
  });

  it('asks for the token endpoint and refuses one that is not http(s)', () => {
    expect(usageError(() => resolveCredentials({ clientId: 'w', clientSecret: 's' }, {}))).toBe(
      'OAuth client credentials needs --authz-url or ZEEBE_AUTHORIZATION_SERVER_URL or CAMUNDA_OAUTH_URL',
    );
    expect(usageError(() => resolveCredentials({ clientId: 'w', clientSecret: 's', authzUrl: 'ftp://x/token' }, {}))).toMatch(/must be an http:\/\/ or https:\/\/ URL$/);
    expect(usageError(() => resolveCredentials({ clientId: 'w', clientSecret: 's', authzUrl: 'not a url' }, {}))).toMatch(/must be an http:\/\/ or https:\/\/ URL$/);
  });

  it('refuses two kinds of credentials in flags; flags beat every kind in the environment', () => {
    expect(usageError(() => resolveCredentials({ username: 'a', token: 't' }, {}))).toBe('Give one kind of credentials, not --username/--password and --token');
    expect(resolveCredentials({ token: 't' }, { ZEN_USERNAME: 'a', ZEN_PASSWORD: 'p', ZEEBE_CLIENT_ID: 'w' })).toEqual({ kind: 'bearer', token: 't' });
  });

  it('refuses several kinds in the environment unless CAMUNDA_AUTH_STRATEGY chooses', () => {
    const env = { ZEN_USERNAME: 'a', ZEN_PASSWORD: 'Secret-9', ZEEBE_CLIENT_ID: 'w', ZEEBE_CLIENT_SECRET: 'Secret-8', CAMUNDA_OAUTH_URL: TOKEN_URL };
    const message = usageError(() => resolveCredentials({}, env));
    expect(message).toBe('The environment gives several kinds of credentials (ZEN_USERNAME/ZEN_PASSWORD, ZEEBE_CLIENT_ID/ZEEBE_CLIENT_SECRET): choose one with a flag or CAMUNDA_AUTH_STRATEGY');
    expect(message).not.toMatch(/Secret/);
    expect(resolveCredentials({}, { ...env, CAMUNDA_AUTH_STRATEGY: 'OAUTH' })).toMatchObject({ kind: 'oauth', clientId: 'w' });
    expect(resolveCredentials({}, { ...env, CAMUNDA_AUTH_STRATEGY: 'basic' })).toMatchObject({ kind: 'basic', username: 'a' });
    expect(resolveCredentials({}, { ...env, CAMUNDA_AUTH_STRATEGY: 'NONE' })).toEqual({ kind: 'none' });
    expect(usageError(() => resolveCredentials({}, { ...env, CAMUNDA_AUTH_STRATEGY: 'COOKIE' }))).toBe('CAMUNDA_AUTH_STRATEGY must be one of BASIC, OAUTH, BEARER, NONE');
  });

  it('finds the CA certificate in --ca-cert, ZEN_CA_CERT or CAMUNDA_CUSTOM_ROOT_CERT_PATH', () => {
    expect(setting({ caCert: '/a.pem' }, { ZEN_CA_CERT: '/b.pem' }, 'caCert')).toBe('/a.pem');
    expect(setting({}, { ZEN_CA_CERT: '/b.pem', CAMUNDA_CUSTOM_ROOT_CERT_PATH: '/c.pem' }, 'caCert')).toBe('/b.pem');
    expect(setting({}, { CAMUNDA_CUSTOM_ROOT_CERT_PATH: '/c.pem' }, 'caCert')).toBe('/c.pem');
    expect(setting({}, {}, 'caCert')).toBeUndefined();
  });

  it('describes credentials by who they name, never by their secret', () => {
    expect(describeCredentials({ kind: 'basic', username: 'ann', password: 'pw-XYZ' })).toBe("user 'ann' (basic)");
    expect(describeCredentials({ kind: 'oauth', clientId: 'w', clientSecret: 's-XYZ', tokenUrl: TOKEN_URL })).toBe("client 'w' (OAuth)");
    expect(describeCredentials({ kind: 'bearer', token: 't-XYZ' })).toBe('the given token');
  });
});
