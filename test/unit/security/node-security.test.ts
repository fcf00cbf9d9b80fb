import { describe, expect, it } from 'vitest';
import { ZenError } from '../../../src/errors.js';
import { defaultConfig } from '../../../src/config/options.js';
import type { ZenConfig } from '../../../src/config/types.js';
import type { UsersView } from '../../../src/engine/read-views.js';
import { isLoopback, NodeSecurity } from '../../../src/security/node-security.js';
import type { OidcVerifierOptions } from '../../../src/security/oidc/verifier.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const node = {
  submitUserCommand: async () => {
    throw new Error('not in these tests');
  },
  submitAuthorizationCommand: async () => {
    throw new Error('not in these tests');
  },
  submitMembershipCommand: async () => {
    throw new Error('not in these tests');
  },
  submitTenantCommand: async () => {
    throw new Error('not in these tests');
  },
  readUsers: async (): Promise<UsersView> => ({ version: 0, changed: true, users: [] }),
};

function security(config: Partial<ZenConfig>, extra: Partial<ConstructorParameters<typeof NodeSecurity>[0]> = {}) {
  const logger = new RecordingLogger();
  const s = new NodeSecurity({ config: { ...defaultConfig(), host: '127.0.0.1', ...config }, node, logger, ...extra });
  return { security: s, logger };
}

describe('NodeSecurity', () => {
  it('under none has no gate, and does not hold readiness', () => {
    const { security: s } = security({ auth: 'none' });
    expect(s.gate).toBeNull();
    expect(s.readiness()).toEqual({ ready: true });
  });

  it('under basic gates on the users being loaded', async () => {
    const { security: s } = security({ auth: 'basic' });
    expect(s.gate?.mode).toBe('basic');
    expect(s.readiness()).toEqual({ ready: false, details: { users: 'loading' } });
    await s.directory.refresh();
    expect(s.readiness()).toEqual({ ready: true, details: { users: 'loaded' } });
  });

  it('under basic with --admin-user, a node that lost the race to create the administrator is ready only once its copy holds it', async () => {
    const taken = async () => {
      throw new ZenError('ALREADY_EXISTS', 'created by another node');
    };
    let view: UsersView = { version: 0, changed: true, users: [], roles: [] };
    const { security: s } = security(
      { auth: 'basic', adminUser: 'admin', adminPassword: 'admin-Secret-1' },
      { node: { ...node, submitUserCommand: taken, submitMembershipCommand: taken, readUsers: async () => view }, scrypt: { ln: 4, r: 8, p: 1 } },
    );
    s.start();
    try {
      await s.directory.whenLoaded();
      // Every step answered ALREADY_EXISTS: done as far as this node's commands go, not in its copy yet.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.readiness()).toEqual({ ready: false, details: { users: 'loaded', administrator: 'pending' } });
      view = {
        version: 3,
        changed: true,
        users: [{ username: 'admin', name: '', email: '', password: 'x', userKey: 1n } as never],
        roles: [{ key: 2n, id: 'admin', name: 'Admin', description: '', members: [{ entityType: 'USER', entityId: 'admin' }] } as never],
      };
      await s.directory.refresh();
      expect(s.readiness()).toEqual({ ready: true, details: { users: 'loaded', administrator: 'present' } });
      // Latched: the administrator deleted later does not take the node out of service.
      view = { version: 4, changed: true, users: [], roles: [] };
      await s.directory.refresh();
      expect(s.readiness().ready).toBe(true);
    } finally {
      s.stop();
    }
  });

  it('builds the OIDC verifier at start, so settings it cannot work with stop the start', () => {
    const { security: s } = security({ auth: 'oidc', oidcIssuer: 'https://id.example.com', oidcAudience: 'zen' });
    expect(s.gate?.mode).toBe('oidc');
    s.stop();
    let thrown: unknown;
    try {
      security({ auth: 'oidc', oidcIssuer: 'https://id.example.com', oidcAudience: '' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ZenError);
    expect((thrown as Error).message).toBe('OIDC audience must not be empty');
  });

  it('hands the verifier the oidc options, leaving out what is not set (its defaults apply)', () => {
    const seen: OidcVerifierOptions[] = [];
    const { security: s } = security(
      { auth: 'oidc', oidcIssuer: 'https://id.example.com', oidcAudience: 'zen', oidcGroupsClaim: '$.realm_access.roles' },
      {
        oidcVerifier: (options) => {
          seen.push(options);
          return { verify: async () => ({ kind: 'client', id: 'c', groups: [] }), close: () => {} };
        },
      },
    );
    expect(s.gate?.mode).toBe('oidc');
    expect(seen).toEqual([
      { issuer: 'https://id.example.com', audience: 'zen', usernameClaim: 'sub', groupsClaim: '$.realm_access.roles', logger: { warn: expect.any(Function) } },
    ]);
  });

  it('warns when nothing is asked of callers on a port beyond loopback', () => {
    expect(security({ auth: 'none', host: '0.0.0.0' }).logger.at('warn')[0]?.msg).toContain('auth is none and the gRPC and REST ports listen on 0.0.0.0');
    expect(security({ auth: 'none', host: '127.0.0.1' }).logger.at('warn')).toEqual([]);
    expect(security({ auth: 'basic', host: '0.0.0.0' }).logger.at('warn')).toEqual([]);
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'zen.internal'].some(isLoopback)).toBe(false);
  });
});
