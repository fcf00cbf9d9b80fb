/**
 * A node's authentication, put together from its configuration: the gate both public ports
 * share (none under `--auth none`), the user directory and service (users can be managed under
 * every mode, so they are in place before basic is turned on), and the first administrator.
 */
import type { ZenConfig } from '../config/types.js';
import { AuthGate } from './auth-gate.js';
import type { Authenticator } from './authenticator.js';
import { createBasicAuthenticator } from './basic-authenticator.js';
import { createBearerAuthenticator } from './bearer-authenticator.js';
import { FailureThrottle } from './failure-throttle.js';
import { PasswordChecker } from './password-checker.js';
import { DEFAULT_SCRYPT, type ScryptParameters } from './password-hash.js';
import { createOidcVerifier, type OidcVerifier, type OidcVerifierOptions } from './oidc/verifier.js';
import { type AdminBootstrap, ensureAdmin } from './users/admin-bootstrap.js';
import { UserDirectory, type UserSource } from './users/user-directory.js';
import { type UserCommands, UserService } from './users/user-service.js';
import { VerificationCache } from './verification-cache.js';
import { Access } from './authorization/access.js';
import { type AuthorizationCommands, AuthorizationService } from './authorization/authorization-service.js';
import { AuthorizationGuard } from './authorization/guard.js';
import { MemberSetService } from './membership/member-set-service.js';
import { MappingRuleService } from './membership/mapping-rule-service.js';
import type { MembershipCommands } from '../node/identity-commands.js';
import type { MembershipServices } from '../api/rest/types.js';
import { CallerGuard } from './caller-guard.js';
import { ALL_TENANTS, type TenantAccess } from '../node/tenant-access.js';
import { AssignedTenants } from './tenants/assigned-tenants.js';
import { type TenantCommands, TenantService } from './tenants/tenant-service.js';

interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Builds the token verifier of `--auth oidc` (tests pass their own). */
export type OidcVerifierFactory = (options: OidcVerifierOptions) => OidcVerifier;

export interface NodeSecurityOptions {
  readonly config: ZenConfig;
  readonly node: UserCommands & UserSource & AuthorizationCommands & TenantCommands & MembershipCommands;
  readonly logger: Logger;
  /** Default: `createOidcVerifier` (src/security/oidc/). */
  readonly oidcVerifier?: OidcVerifierFactory;
  /** Tests pass cheaper parameters. */
  readonly scrypt?: ScryptParameters;
  readonly userPollMs?: number;
}

export interface SecurityReadiness {
  readonly ready: boolean;
  /** Absent when authentication does not gate readiness. */
  readonly details?: { readonly users: 'loaded' | 'loading'; readonly administrator?: 'present' | 'pending' };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class NodeSecurity {
  readonly gate: AuthGate | null;
  readonly directory: UserDirectory;
  readonly users: UserService;
  readonly authorizations: AuthorizationService;
  readonly membership: MembershipServices;
  /** Resolves callers' groups, roles and mapping rules (also without `--authorizations`, for `/authentication/me`). */
  readonly access: Access;
  readonly tenants: TenantService;
  /**
   * Which tenants a principal may use: from the tenants' members once callers are authenticated
   * (`--auth basic|oidc`); under `--auth none` every caller may use every tenant.
   */
  readonly tenantAccess: TenantAccess;
  /**
   * What the public ports run every call with, by its caller (`--authorizations`, and
   * `--multi-tenancy` under basic or oidc); null when neither applies.
   */
  readonly guard: CallerGuard | null;
  private admin: AdminBootstrap | null = null;
  private closeVerifier: (() => void) | null = null;

  /** Throws a ZenError (INVALID_ARGUMENT) for OIDC settings the verifier cannot work with. */
  constructor(private readonly options: NodeSecurityOptions) {
    const { config, logger } = options;
    const cache = new VerificationCache();
    this.directory = new UserDirectory(options.node, {
      logger,
      pollMs: options.userPollMs,
      onUserChanged: (username) => cache.forget(username),
    });
    this.users = new UserService(options.node, this.directory, options.scrypt ?? DEFAULT_SCRYPT);
    this.authorizations = new AuthorizationService(options.node, this.directory);
    this.membership = {
      groups: new MemberSetService('GROUP', options.node, this.directory),
      roles: new MemberSetService('ROLE', options.node, this.directory),
      mappingRules: new MappingRuleService(options.node, this.directory),
    };
    const access = new Access({ directory: this.directory, adminUser: config.adminUser });
    this.access = access;
    this.tenantAccess =
      config.auth === 'none'
        ? ALL_TENANTS
        : new AssignedTenants({
            directory: this.directory,
            adminUser: config.adminUser,
            groupsOf: (p) => access.membershipOf(p).groups,
            rolesOf: (p) => access.rolesOf(p),
            mappingRulesOf: (p) => access.membershipOf(p).mappingRules,
          });
    this.tenants = new TenantService(options.node, this.directory, this.tenantAccess);
    const tenantScoped = config.multiTenancy && config.auth !== 'none';
    const authorizations = config.authorizations ? new AuthorizationGuard(access) : null;
    this.guard = tenantScoped || authorizations ? new CallerGuard(tenantScoped, authorizations) : null;

    let authenticator: Authenticator | null = null;
    if (config.auth === 'basic') {
      authenticator = createBasicAuthenticator(this.directory, new PasswordChecker({ cache, scrypt: options.scrypt }));
    } else if (config.auth === 'oidc') {
      const verifier = (options.oidcVerifier ?? createOidcVerifier)(oidcOptions(config, logger));
      this.closeVerifier = () => verifier.close();
      authenticator = createBearerAuthenticator((token) => verifier.verify(token));
    }
    this.gate = authenticator && config.auth !== 'none' ? new AuthGate(config.auth, authenticator, new FailureThrottle()) : null;

    if (config.auth === 'none' && !isLoopback(config.host)) {
      logger.warn(
        { auth: 'none', host: config.host },
        `auth is none and the gRPC and REST ports listen on ${config.host}: anyone who reaches them can deploy, start and cancel processes. ` +
          'Set --auth basic (with --admin-user and --admin-password) or --host 127.0.0.1',
      );
    }
    if (config.auth === 'basic' && !config.adminUser) {
      logger.info({}, 'auth is basic without --admin-user: only users that already exist can log in');
    }
  }

  get mode(): ZenConfig['auth'] {
    return this.options.config.auth;
  }

  /** Starts reading the users and, when asked for, creating the administrator. */
  start(): void {
    this.directory.start();
    const { adminUser, adminPassword } = this.options.config;
    if (adminUser) this.admin = ensureAdmin(this.users, this.directory, { username: adminUser, password: adminPassword }, this.options.logger, this.membership.roles);
  }

  stop(): void {
    this.admin?.stop();
    this.directory.stop();
    this.closeVerifier?.();
  }

  /**
   * Whether the node can authenticate: under basic, once the users are loaded and the
   * administrator (if asked for) exists. Under none and oidc users do not gate readiness.
   */
  readiness(): SecurityReadiness {
    const users = this.directory.loaded ? 'loaded' : 'loading';
    const administrator = this.admin ? (this.admin.done ? 'present' : 'pending') : undefined;
    if (this.mode !== 'basic' && this.admin === null) return { ready: true };
    return { ready: users === 'loaded' && administrator !== 'pending', details: { users, ...(administrator ? { administrator } : {}) } };
  }
}

/** The configuration's `oidc*` options as the verifier takes them; empty means its default. */
export function oidcOptions(config: ZenConfig, logger?: Logger): OidcVerifierOptions {
  return {
    issuer: config.oidcIssuer,
    audience: config.oidcAudience,
    ...(config.oidcJwksUrl ? { jwksUrl: config.oidcJwksUrl } : {}),
    ...(config.oidcUsernameClaim ? { usernameClaim: config.oidcUsernameClaim } : {}),
    ...(config.oidcClientIdClaim ? { clientIdClaim: config.oidcClientIdClaim } : {}),
    ...(config.oidcGroupsClaim ? { groupsClaim: config.oidcGroupsClaim } : {}),
    ...(logger ? { logger: { warn: (obj: object, msg: string) => logger.warn(obj, msg) } } : {}),
  };
}
