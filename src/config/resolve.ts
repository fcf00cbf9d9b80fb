import { ConfigError, type ConfigIssue } from './errors.js';
import {
  CONFIG_FILE_ENV,
  ENV_PREFIX,
  OPTIONS,
  OPTIONS_BY_ENV,
  OPTIONS_BY_NAME,
  toKebab,
  type OptionDescriptor,
} from './options.js';
import { didYouMean } from './suggest.js';
import type { ConfigKey, ConfigSource, ZenConfig } from './types.js';
import { showValue } from './values.js';
import { usernameProblem } from '../security/users/user-fields.js';

export interface ConfigFileInput {
  /** As the user gave it; used in messages. */
  readonly path: string;
  /** The parsed YAML document. */
  readonly content: unknown;
}

export interface ConfigInputs {
  /** Parsed CLI options keyed by option name (commander's camelCase), values as given. */
  readonly flags?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly file?: ConfigFileInput;
}

export interface ResolvedConfig {
  readonly config: ZenConfig;
  readonly sources: Readonly<Record<ConfigKey, ConfigSource>>;
}

interface Candidate {
  readonly source: Exclude<ConfigSource, 'default'>;
  readonly origin: string;
  readonly raw: unknown;
}

const PORT_KEYS = ['grpcPort', 'restPort', 'systemPort'] as const satisfies readonly ConfigKey[];

/**
 * Merges flags > env > file > defaults and validates the result. Pure: no file or process
 * access. Every value given in any layer is validated, even when a higher layer overrides it,
 * because a broken file stays broken when the override is removed. Throws ConfigError listing
 * every issue.
 *
 * An empty env var or a YAML key with no value counts as unset: templated deployments
 * (`ZEN_LOG_LEVEL=${LEVEL}`, Helm values) produce them when nothing was meant.
 */
export function resolveConfig(inputs: ConfigInputs): ResolvedConfig {
  const issues: ConfigIssue[] = [];
  const flags = inputs.flags ?? {};
  const env = inputs.env ?? {};
  const fileValues = readFileMapping(inputs.file, issues);

  for (const key of Object.keys(flags)) {
    if (!OPTIONS_BY_NAME.has(key)) {
      issues.push({
        source: 'flag',
        message: `unknown flag --${toKebab(key)}${didYouMean(`--${toKebab(key)}`, OPTIONS.map((o) => o.flag))}`,
      });
    }
  }

  // ZEN_ is our namespace, so a ZEN_ variable we do not know is a typo, not someone else's setting.
  for (const name of Object.keys(env)) {
    if (name.startsWith(ENV_PREFIX) && name !== CONFIG_FILE_ENV && !OPTIONS_BY_ENV.has(name)) {
      issues.push({
        source: 'env',
        message: `unknown environment variable ${name}${didYouMean(name, [...OPTIONS_BY_ENV.keys(), CONFIG_FILE_ENV])}`,
      });
    }
  }

  const config: Record<string, unknown> = {};
  const sources: Record<string, ConfigSource> = {};
  const origins: Record<string, string> = {};

  for (const option of OPTIONS as readonly OptionDescriptor[]) {
    const candidates: Candidate[] = [];
    const flagValue = flags[option.name];
    if (flagValue !== undefined) candidates.push({ source: 'flag', origin: `flag ${option.flag}`, raw: flagValue });
    const envValue = env[option.env];
    if (envValue !== undefined && envValue !== '') {
      candidates.push({ source: 'env', origin: `env ${option.env}`, raw: envValue });
    }
    if (fileValues && fileValues[option.yamlKey] != null) {
      candidates.push({
        source: 'file',
        origin: `file ${inputs.file!.path} (key ${option.yamlKey})`,
        raw: fileValues[option.yamlKey],
      });
    }

    let chosen = false;
    for (const candidate of candidates) {
      const parsed = option.parse(candidate.raw);
      if (!parsed.ok) {
        issues.push({
          option: option.name,
          source: candidate.source,
          value: option.secret ? undefined : candidate.raw,
          message: `${option.name} ${parsed.rule}, got ${option.secret ? 'a value (not shown)' : showValue(candidate.raw)} from ${candidate.origin}`,
        });
      } else if (!chosen) {
        config[option.name] = parsed.value;
        sources[option.name] = candidate.source;
        origins[option.name] = candidate.origin;
      }
      chosen = true;
    }
    if (!chosen) {
      config[option.name] = option.defaultValue;
      sources[option.name] = 'default';
      origins[option.name] = 'default';
    }
  }

  checkPortsDistinct(config, origins, issues);
  checkPartitionEtcdNeedsMain(config, origins, issues);
  checkAuthentication(config, origins, issues);
  checkTlsFilesTogether(config, origins, issues);
  checkBackupStore(config, origins, issues);

  if (issues.length > 0) throw new ConfigError(issues);
  return { config: config as unknown as ZenConfig, sources: sources as Record<ConfigKey, ConfigSource> };
}

function readFileMapping(file: ConfigFileInput | undefined, issues: ConfigIssue[]): Record<string, unknown> | undefined {
  if (!file || file.content == null) return undefined;
  const content = file.content;
  if (typeof content !== 'object' || Array.isArray(content)) {
    issues.push({
      source: 'file',
      message: `config file ${file.path} must be a mapping of option names to values, got ${Array.isArray(content) ? 'a list' : showValue(content)}`,
    });
    return undefined;
  }
  const mapping = content as Record<string, unknown>;
  const yamlKeys = OPTIONS.map((o) => o.yamlKey);
  for (const key of Object.keys(mapping)) {
    if (!OPTIONS_BY_NAME.has(key)) {
      issues.push({ source: 'file', message: `unknown key ${key} in config file ${file.path}${didYouMean(key, yamlKeys)}` });
    }
  }
  return mapping;
}

/** Partition etcd clusters only make sense for a clustered node: without etcdEndpoints it would silently run standalone. */
function checkPartitionEtcdNeedsMain(config: Record<string, unknown>, origins: Record<string, string>, issues: ConfigIssue[]): void {
  const groups = config.partitionEtcdEndpoints as readonly unknown[] | undefined;
  const main = config.etcdEndpoints as readonly unknown[] | undefined;
  if (!groups || groups.length === 0 || (main && main.length > 0)) return;
  issues.push({
    option: 'partitionEtcdEndpoints',
    message: `partitionEtcdEndpoints (${origins.partitionEtcdEndpoints}) needs etcdEndpoints: the main etcd holds membership and the cluster log`,
  });
}

/** The administrator comes as a pair; oidc needs its issuer and audience. No message repeats a password. */
function checkAuthentication(config: Record<string, unknown>, origins: Record<string, string>, issues: ConfigIssue[]): void {
  const user = config.adminUser as string | undefined;
  const password = config.adminPassword as string | undefined;
  if (user && !password) {
    issues.push({ option: 'adminPassword', message: `adminUser (${origins.adminUser}) needs adminPassword (flag --admin-password or env ZEN_ADMIN_PASSWORD)` });
  } else if (password && !user) {
    issues.push({ option: 'adminUser', message: `adminPassword (${origins.adminPassword}) needs adminUser (flag --admin-user or env ZEN_ADMIN_USER)` });
  }
  if (user) {
    const problem = usernameProblem(user);
    if (problem) issues.push({ option: 'adminUser', message: `adminUser (${origins.adminUser}) is not a valid username: ${problem}` });
  }
  if (password !== undefined && password !== '' && password.trim() === '') {
    issues.push({ option: 'adminPassword', message: `adminPassword (${origins.adminPassword}) must not be blank` });
  }
  if (config.authorizations === true && config.auth === 'none') {
    issues.push({
      option: 'authorizations',
      message: `authorizations (${origins.authorizations}) needs auth basic or oidc (flag --auth or env ZEN_AUTH): without authentication every caller is anonymous and nothing could be allowed`,
    });
  }
  if (config.auth === 'oidc') {
    for (const [key, flag] of [['oidcIssuer', '--oidc-issuer'], ['oidcAudience', '--oidc-audience']] as const) {
      if (!config[key]) issues.push({ option: key, message: `auth oidc (${origins.auth}) needs ${key} (flag ${flag} or env ${OPTIONS_BY_NAME.get(key)!.env})` });
    }
  }
}

const TLS_GROUPS: readonly (readonly ConfigKey[])[] = [
  ['tlsCertFile', 'tlsKeyFile'],
  ['privateTlsCertFile', 'privateTlsKeyFile', 'privateTlsCaFile'],
];

/**
 * A certificate without its key (or mutual TLS without its CA) cannot serve anything; starting
 * in plaintext instead would silently expose what the operator meant to protect.
 */
function checkTlsFilesTogether(config: Record<string, unknown>, origins: Record<string, string>, issues: ConfigIssue[]): void {
  for (const group of TLS_GROUPS) {
    const given = group.filter((key) => config[key] !== '');
    if (given.length === 0 || given.length === group.length) continue;
    const missing = group.filter((key) => config[key] === '');
    const flags = (keys: readonly ConfigKey[]) => keys.map((k) => OPTIONS_BY_NAME.get(k)!.flag).join(', ');
    issues.push({
      option: missing[0],
      message: `${group.join(', ')} go together: ${given.map((k) => `${k} is set (${origins[k]})`).join(', ')} but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not (${flags(missing)})`,
    });
  }
  const main = config.etcdEndpoints as readonly unknown[] | undefined;
  if (config.privateTlsCertFile !== '' && (!main || main.length === 0)) {
    issues.push({
      option: 'privateTlsCertFile',
      message: `privateTlsCertFile (${origins.privateTlsCertFile}) needs etcdEndpoints: only a cluster node has a private port`,
    });
  }
}

function checkPortsDistinct(config: Record<string, unknown>, origins: Record<string, string>, issues: ConfigIssue[]): void {
  const seen = new Map<number, ConfigKey>();
  for (const key of PORT_KEYS) {
    const value = config[key];
    if (typeof value !== 'number' || value === 0) continue;
    const other = seen.get(value);
    if (other !== undefined) {
      issues.push({
        option: key,
        value,
        message: `${other} (${origins[other]}) and ${key} (${origins[key]}) are both ${value}; each port must be different`,
      });
    } else {
      seen.set(value, key);
    }
  }
}

/** Each store needs its place: without it, every backup would fail only when someone asks for one. */
function checkBackupStore(config: Record<string, unknown>, origins: Record<string, string>, issues: ConfigIssue[]): void {
  if (config.backupStore === 'fs' && !config.backupDir) {
    issues.push({ option: 'backupDir', message: `backupStore fs (${origins.backupStore}) needs backupDir (flag --backup-dir or env ZEN_BACKUP_DIR)` });
  }
  if (config.backupStore === 's3' && !config.backupS3Bucket) {
    issues.push({ option: 'backupS3Bucket', message: `backupStore s3 (${origins.backupStore}) needs backupS3Bucket (flag --backup-s3-bucket or env ZEN_BACKUP_S3_BUCKET)` });
  }
}
