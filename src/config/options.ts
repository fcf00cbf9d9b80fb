import { AUTH_MODES, BACKUP_STORES, LOG_FORMATS, LOG_LEVELS, SYNC_MODES, TRACING_LEVELS, type ConfigKey, type ZenConfig } from './types.js';
import {
  bool,
  byteSize,
  duration,
  formatDuration,
  formatByteSize,
  hostAddress,
  integer,
  integerOrAuto,
  nonEmptyString,
  oneOf,
  optionalHost,
  optionalPath,
  anyString,
  claimName,
  optionalUrl,
  port,
  urlGroups,
  urlList,
  type ValueParser,
} from './values.js';

/**
 * One row per option: the single source for the CLI flags, the env var names, the YAML keys,
 * validation and the README table. Names are derived from `name` so the three spellings can
 * never drift apart.
 */
export interface OptionDescriptor<K extends ConfigKey = ConfigKey> {
  readonly name: K;
  /** e.g. `--grpc-port` */
  readonly flag: string;
  /** Placeholder shown in `--help`, e.g. `port`. */
  readonly valueName: string;
  /** e.g. `ZEN_GRPC_PORT` */
  readonly env: string;
  /** Top-level key in the YAML file; same as `name`. */
  readonly yamlKey: string;
  readonly defaultValue: ZenConfig[K];
  /** The default as a user would write it (`4MB`, not 4194304). */
  readonly defaultText: string;
  readonly description: string;
  readonly parse: ValueParser<ZenConfig[K]>;
  /** Boolean switches may be given without a value (`--controller-only`). */
  readonly optionalValue?: boolean;
  /** Never shown: not in the start log line, not in a message about the value. */
  readonly secret?: boolean;
  /**
   * Can change while the node runs (PATCH /actuator/cluster/configuration, `zen config set`);
   * every other option is refused there with a message to restart (src/config/runtime-settings.ts).
   */
  readonly runtime?: boolean;
  /** The value as a user would write it, the inverse of `parse` (default `String`). */
  // Method syntax: checked bivariantly, so a descriptor of one key fits the list of all.
  format?(value: ZenConfig[K]): string;
}

export const ENV_PREFIX = 'ZEN_';
export const CONFIG_FILE_FLAG = '--config';
export const CONFIG_FILE_ENV = 'ZEN_CONFIG';

export function toKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function toEnvName(name: string): string {
  return ENV_PREFIX + name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

function option<K extends ConfigKey>(spec: {
  name: K;
  valueName: string;
  defaultValue: ZenConfig[K];
  defaultText?: string;
  description: string;
  parse: ValueParser<ZenConfig[K]>;
  optionalValue?: boolean;
  secret?: boolean;
  runtime?: boolean;
  format?: (value: ZenConfig[K]) => string;
}): OptionDescriptor<K> {
  return {
    ...spec,
    flag: `--${toKebab(spec.name)}`,
    env: toEnvName(spec.name),
    yamlKey: spec.name,
    defaultText: spec.defaultText ?? (spec.format ? spec.format(spec.defaultValue) : String(spec.defaultValue)),
  };
}

const MAX_MESSAGE_SIZE_DEFAULT = 4 * 1024 * 1024;
/** The most maxMessageSize may be, at start or at run time: the transports are built for it. */
export const MAX_MESSAGE_SIZE_BOUND = 128 * 1024 * 1024;
const HISTORY_RETENTION_DEFAULT = 7 * 86_400_000;

export const OPTIONS = [
  option({
    name: 'dataDir',
    valueName: 'path',
    defaultValue: './data',
    description: 'Directory for partition databases and logs (relative paths are from the working directory).',
    parse: nonEmptyString,
  }),
  option({
    name: 'host',
    valueName: 'address',
    defaultValue: '0.0.0.0',
    description: 'Address the gRPC, REST and system ports bind to.',
    parse: hostAddress,
  }),
  option({
    name: 'grpcPort',
    valueName: 'port',
    defaultValue: 26500,
    description: 'Zeebe gateway gRPC port (0 = any free port).',
    parse: port,
  }),
  option({
    name: 'restPort',
    valueName: 'port',
    defaultValue: 8080,
    description: 'REST API port (0 = any free port).',
    parse: port,
  }),
  option({
    name: 'systemPort',
    valueName: 'port',
    defaultValue: 9600,
    description: 'Port for /health, /ready and /metrics (0 = any free port).',
    parse: port,
  }),
  option({
    name: 'partitions',
    valueName: 'count',
    defaultValue: 1,
    description: 'Number of partitions, 1 to 64.',
    parse: integer(1, 64),
  }),
  option({
    name: 'logLevel',
    valueName: 'level',
    defaultValue: 'info',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
    parse: oneOf(LOG_LEVELS),
    runtime: true,
  }),
  option({
    name: 'logFormat',
    valueName: 'format',
    defaultValue: 'json',
    description: 'Log format: json (one object per line) or pretty (human-readable lines).',
    parse: oneOf(LOG_FORMATS),
  }),
  option({
    name: 'maxMessageSize',
    valueName: 'size',
    defaultValue: MAX_MESSAGE_SIZE_DEFAULT,
    defaultText: formatByteSize(MAX_MESSAGE_SIZE_DEFAULT),
    description:
      'Largest accepted request and record (bytes, or with KB/MB suffix, 1KB to 128MB); also bounds variable documents.',
    parse: byteSize(1024, MAX_MESSAGE_SIZE_BOUND),
    runtime: true,
    format: formatByteSize,
  }),
  option({
    name: 'maxResourcesPerDeployment',
    valueName: 'count',
    defaultValue: 100,
    description: 'Most resources (BPMN/DMN files) accepted in one deployment, 1 to 1000.',
    parse: integer(1, 1000),
  }),
  option({
    name: 'syncMode',
    valueName: 'mode',
    defaultValue: 'full',
    description: 'full: fsync every group commit, nothing acknowledged is lost even on power loss; normal: fsync at state checkpoints (about once a second) and WAL checkpoints, safe against process crashes (kill -9) but an OS crash or power loss may lose the last second of commits.',
    parse: oneOf(SYNC_MODES),
  }),
  option({
    name: 'maxBatchSize',
    valueName: 'count',
    defaultValue: 500,
    description: 'Most commands processed in one group commit, 1 to 10000.',
    parse: integer(1, 10_000),
  }),
  option({
    name: 'backpressureLimit',
    valueName: 'count',
    defaultValue: 2000,
    description:
      'Client commands waiting in a partition (on its leader) beyond which new work is refused with RESOURCE_EXHAUSTED (HTTP 429), so clients back off; commands that finish work (complete, fail, cancel, resolve) are always taken. 1 to 1000000.',
    parse: integer(1, 1_000_000),
    runtime: true,
  }),
  option({
    name: 'etcdEndpoints',
    valueName: 'urls',
    defaultValue: [],
    defaultText: '(none: standalone)',
    description: 'Comma-separated etcd client URLs; set them to run this node as part of a cluster.',
    parse: urlList,
  }),
  option({
    name: 'partitionEtcdEndpoints',
    valueName: 'clusters',
    defaultValue: [],
    defaultText: '(none: partition logs on the main etcd)',
    description:
      'Cluster: further etcd clusters for partition logs, separated by ";", each a comma-separated list of client URLs (e.g. http://a1:2379,http://a2:2379;http://b1:2379). The controller places each new partition log on one of them (spread evenly, never moved), not on the main etcd unless it is listed here too; membership and the cluster log stay on etcdEndpoints. Clusters are told apart by etcd cluster id, so nodes may list them in any order and through any of their members; give every node every cluster.',
    parse: urlGroups,
  }),
  option({
    name: 'nodeId',
    valueName: 'id',
    defaultValue: 0,
    description: 'Cluster: this node\'s id, an integer unique in the cluster (0 to 1023).',
    parse: integer(0, 1023),
  }),
  option({
    name: 'zone',
    valueName: 'name',
    defaultValue: 'default',
    description: 'Cluster: failure zone of this node; partition groups are spread over zones.',
    parse: nonEmptyString,
  }),
  option({
    name: 'clusterName',
    valueName: 'name',
    defaultValue: 'zen',
    description: 'Cluster: name of the cluster, the prefix of its keys in etcd.',
    parse: nonEmptyString,
  }),
  option({
    name: 'replicationFactor',
    valueName: 'count',
    defaultValue: 1,
    description: 'Cluster: members per partition group, 1 to 7 (set by the nodes that bootstrap the cluster).',
    parse: integer(1, 7),
  }),
  option({
    name: 'advertiseHost',
    valueName: 'host',
    defaultValue: '',
    defaultText: '(host, or 127.0.0.1 when host is 0.0.0.0)',
    description: 'Cluster: host name or address other nodes and clients reach this node at.',
    parse: optionalHost,
  }),
  option({
    name: 'privatePort',
    valueName: 'port',
    defaultValue: 26502,
    description: 'Cluster: node-to-node port (proxying, snapshots); 0 = any free port.',
    parse: port,
  }),
  option({
    name: 'advertisePrivatePort',
    valueName: 'port',
    defaultValue: 0,
    defaultText: '(privatePort as bound)',
    description: 'Cluster: port other nodes reach this node\'s private port at, when it differs from the bound one (a port forward or a proxy in front of it); 0 = the bound port.',
    parse: port,
  }),
  option({
    name: 'controllerOnly',
    valueName: 'true|false',
    defaultValue: false,
    description: 'Cluster: hold no partitions, only take part in membership and control.',
    parse: bool,
    optionalValue: true,
  }),
  option({
    name: 'clusterSecret',
    valueName: 'secret',
    defaultValue: '',
    defaultText: '(none)',
    description:
      'Cluster: shared secret the nodes prove on the private port (a signed, single-use proof per internal call and snapshot request; clocks must agree within 60 s); requests without a valid proof are refused. Without privateTlsCertFile the port is not encrypted: keep it on a private network.',
    parse: anyString,
    secret: true,
  }),
  option({
    name: 'leaseTtl',
    valueName: 'seconds',
    defaultValue: 3,
    description: 'Cluster: seconds without etcd keep-alives after which this node\'s leaderships lapse (failover time), 1 to 60.',
    parse: integer(1, 60),
  }),
  option({
    name: 'partitionAppendsInFlight',
    valueName: 'count',
    defaultValue: 1,
    description:
      'Cluster: appends a partition leader keeps in flight to etcd, each conditioned on the one before. etcd 3.4 reorders concurrent transactions and one that arrives early is sent again, so more than 1 pays off only when etcd is far away and has CPU to spare; 1 to 16.',
    parse: integer(1, 16),
  }),
  option({
    name: 'partitionAppendGap',
    valueName: 'ms|auto',
    defaultValue: 'auto',
    description:
      'Cluster: least time between the starts of a partition leader\'s appends to etcd; the commands that come meanwhile are processed together and go in the next. auto: none while the node\'s event loop keeps time, growing to at most 20 ms while it runs late (a mean delay over 3 ms: its cores are saturated), so that fewer, larger appends leave the CPU to the work. 0: append as soon as the append in flight lands. A number holds every append that long, which adds up to that much to each commit when idle. auto or 0 to 1000.',
    parse: integerOrAuto(0, 1000),
  }),
  option({
    name: 'rebalanceDelay',
    valueName: 'seconds',
    defaultValue: 60,
    description:
      'Cluster: seconds a partition group may be short of a member before the controller assigns a replacement; also how long a returned preferred leader must be back (at least 5 s) before leadership is handed back to it.',
    parse: integer(0, 86_400),
    runtime: true,
  }),
  option({
    name: 'clockControl',
    valueName: 'true|false',
    defaultValue: false,
    description:
      'Lets PUT /v2/clock pin the engine clock and POST /v2/clock/reset reset it, on every partition (Camunda\'s zeebe.clock.controlled); for testing processes with timers, never in production. Off: both answer 403.',
    parse: bool,
    optionalValue: true,
  }),
  option({
    name: 'multiTenancy',
    valueName: 'true|false',
    defaultValue: false,
    description:
      'Multi-tenancy (Camunda\'s multiTenancy.checks.enabled): every deployment, instance, job, message, signal, decision and form belongs to a tenant; requests name it (tenantId; tenantIds for job activation; absent: <default>), and a tenant\'s definitions, messages, signals and jobs are invisible to the others. Off: only <default>, other tenants are refused. Use it the same way on every node of a cluster.',
    parse: bool,
    optionalValue: true,
  }),
  option({
    name: 'history',
    valueName: 'true|false',
    defaultValue: true,
    description:
      'Keeps a queryable history of every partition in its database (instances, elements, variables, jobs, incidents, definitions), for the /v2 searches. Off: less disk and CPU in the storage worker; the searches answer 503.',
    parse: bool,
    optionalValue: true,
  }),
  option({
    name: 'historyRetention',
    valueName: 'duration',
    defaultValue: HISTORY_RETENTION_DEFAULT,
    defaultText: formatDuration(HISTORY_RETENTION_DEFAULT),
    description:
      'How long the history of a process instance is kept after it ended (e.g. 7d, 12h, 30m; 0 or off: forever): its instance and every row of it (elements, variables, jobs, incidents, user tasks, messages, decisions) are then deleted on every replica, by a cleanup the partition leader writes into the log each minute.',
    parse: duration(100 * 365 * 86_400_000),
    runtime: true,
    format: formatDuration,
  }),
  option({
    name: 'tracingLevel',
    valueName: 'level',
    defaultValue: 'off',
    description:
      'OpenTelemetry traces, exported over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; protocol OTEL_EXPORTER_OTLP_PROTOCOL, http/protobuf or http/json): off; api (a span per gRPC call and REST request, W3C traceparent honoured); engine (+ command processing on the partition leader and the hop between nodes); workers (+ a span per job from activation to completion); full (+ a span per element instance). Off starts no tracing at all.',
    parse: oneOf(TRACING_LEVELS),
    runtime: true,
  }),
  option({
    name: 'tlsCertFile',
    valueName: 'path',
    defaultValue: '',
    defaultText: '(none: plaintext)',
    description:
      'PEM certificate chain (this node\'s certificate first, then any intermediates) the gRPC and REST ports serve TLS with (gRPC over HTTP/2 with ALPN, REST over HTTPS); set together with tlsKeyFile. Both files are read again when they change, so a renewed certificate needs no restart (a pair that does not parse or match is logged and the previous one kept). The system port stays plain HTTP.',
    parse: optionalPath,
  }),
  option({
    name: 'tlsKeyFile',
    valueName: 'path',
    defaultValue: '',
    defaultText: '(none)',
    description: 'PEM private key (not encrypted) of the certificate in tlsCertFile.',
    parse: optionalPath,
  }),
  option({
    name: 'privateTlsCertFile',
    valueName: 'path',
    defaultValue: '',
    defaultText: '(none: plain TCP)',
    description:
      'Cluster: PEM certificate chain this node presents on the private port, as server and as client: mutual TLS between nodes; set together with privateTlsKeyFile and privateTlsCaFile, the same way on every node. Must be signed by privateTlsCaFile and, if it lists extended key usages, allow both serverAuth and clientAuth. Re-read when the files change.',
    parse: optionalPath,
  }),
  option({
    name: 'privateTlsKeyFile',
    valueName: 'path',
    defaultValue: '',
    defaultText: '(none)',
    description: 'Cluster: PEM private key (not encrypted) of the certificate in privateTlsCertFile.',
    parse: optionalPath,
  }),
  option({
    name: 'privateTlsCaFile',
    valueName: 'path',
    defaultValue: '',
    defaultText: '(none)',
    description:
      'Cluster: PEM CA certificate(s) the private port trusts. A peer, connecting or answering, that does not present a certificate signed by one of them cannot open a connection. Host names are not checked: any certificate this CA signed is a member, so use a CA that signs only this cluster\'s nodes.',
    parse: optionalPath,
  }),
  option({
    name: 'auth',
    valueName: 'mode',
    defaultValue: 'none',
    description:
      'Authentication on the gRPC and REST ports: none (every caller is anonymous; a node whose host is not loopback warns at start), basic (users with passwords: HTTP Authorization: Basic, and the same as gRPC metadata), oidc (bearer access tokens of an OpenID Connect provider: oidcIssuer, oidcAudience). /health, /ready and /metrics never ask for credentials.',
    parse: oneOf(AUTH_MODES),
  }),
  option({
    name: 'adminUser',
    valueName: 'username',
    defaultValue: '',
    defaultText: '(none)',
    description:
      'The first administrator: created at start with adminPassword if no user of that name exists (on a cluster, once); an existing user is left as it is. Letters, digits and _~@.+- only.',
    parse: anyString,
  }),
  option({
    name: 'adminPassword',
    valueName: 'password',
    defaultValue: '',
    defaultText: '(none)',
    description: "The first administrator's password (stored only as a scrypt hash); never logged. Prefer the environment variable to the flag, which other users of the machine can see.",
    parse: anyString,
    secret: true,
  }),
  option({
    name: 'authorizations',
    valueName: 'true|false',
    defaultValue: false,
    description:
      "Enforces the authorizations (/v2/authorizations) on every gRPC and REST operation, searches included (they return only what the caller may read); the administrator (adminUser) holds the admin role and may do everything. Needs auth basic or oidc. Refusals are 403 / PERMISSION_DENIED naming the missing permission.",
    parse: bool,
    optionalValue: true,
  }),
  option({
    name: 'oidcIssuer',
    valueName: 'url',
    defaultValue: '',
    defaultText: '(none)',
    description: 'auth oidc: the issuer URL tokens must name (iss); required with auth oidc. Its discovery document (read on the first call, not at start) gives the signing keys unless oidcJwksUrl does.',
    parse: optionalUrl,
  }),
  option({
    name: 'oidcAudience',
    valueName: 'audience',
    defaultValue: '',
    defaultText: '(none)',
    description: 'auth oidc: the audience tokens must name (aud); required with auth oidc.',
    parse: anyString,
  }),
  option({
    name: 'oidcJwksUrl',
    valueName: 'url',
    defaultValue: '',
    defaultText: "(the issuer's jwks_uri)",
    description: 'auth oidc: the URL of the signing keys (JWKS).',
    parse: optionalUrl,
  }),
  option({
    name: 'oidcUsernameClaim',
    valueName: 'claim',
    defaultValue: 'sub',
    description: 'auth oidc: the claim that names a user; a name starting with $. is a path into nested claims ($.realm_access.roles).',
    parse: claimName,
  }),
  option({
    name: 'oidcClientIdClaim',
    valueName: 'claim',
    defaultValue: '',
    defaultText: '(azp, then client_id)',
    description: 'auth oidc: the claim that names a machine client. A token with a client id and no distinct username is a client\'s (src/security/oidc/README.md).',
    parse: claimName,
  }),
  option({
    name: 'oidcGroupsClaim',
    valueName: 'claim',
    defaultValue: '',
    defaultText: '(none)',
    description: "auth oidc: the claim that lists a principal's groups (a string or an array of strings).",
    parse: claimName,
  }),
  option({
    name: 'consoleClientId',
    valueName: 'id',
    defaultValue: 'zen-console',
    description:
      'auth oidc: the public client (no secret) Zen Console signs users in as, with the authorization code flow and PKCE; register it at the provider with the redirect URI http(s)://<node>/ui/callback. The console asks for oidcAudience and the scopes openid profile.',
    parse: anyString,
  }),
  option({
    name: 'backupStore',
    valueName: 'store',
    defaultValue: 'none',
    description:
      'Where backups (POST /actuator/backups on the system port, zen backup, zen restore) go: none (the backup routes answer 400 naming this option), fs (a directory: backupDir, shared by every node of a cluster), s3 (S3-compatible object storage: backupS3Bucket; credentials from the AWS SDK chain: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, profiles, instance roles). Use the same store on every node.',
    parse: oneOf(BACKUP_STORES),
  }),
  option({
    name: 'backupDir',
    valueName: 'path',
    defaultValue: '',
    defaultText: '(none)',
    description: 'backupStore fs: the directory backups are written to, one subdirectory per backup id; required with backupStore fs.',
    parse: optionalPath,
  }),
  option({
    name: 'backupS3Bucket',
    valueName: 'bucket',
    defaultValue: '',
    defaultText: '(none)',
    description: 'backupStore s3: the bucket backups are written to, objects <backupId>/...; required with backupStore s3.',
    parse: anyString,
  }),
  option({
    name: 'backupS3Endpoint',
    valueName: 'url',
    defaultValue: '',
    defaultText: '(AWS)',
    description: 'backupStore s3: the endpoint of an S3-compatible service (MinIO, Ceph, …); requests then use path-style addressing.',
    parse: optionalUrl,
  }),
  option({
    name: 'backupS3Region',
    valueName: 'region',
    defaultValue: '',
    defaultText: '(AWS_REGION)',
    description: 'backupStore s3: the region; unset, the AWS SDK chain decides (AWS_REGION, profile).',
    parse: anyString,
  }),
] as const satisfies readonly OptionDescriptor[];

export const OPTIONS_BY_NAME: ReadonlyMap<string, OptionDescriptor> = new Map(
  OPTIONS.map((o) => [o.name, o as OptionDescriptor]),
);

export const OPTIONS_BY_ENV: ReadonlyMap<string, OptionDescriptor> = new Map(
  OPTIONS.map((o) => [o.env, o as OptionDescriptor]),
);

export function defaultConfig(): ZenConfig {
  return Object.fromEntries(OPTIONS.map((o) => [o.name, o.defaultValue])) as unknown as ZenConfig;
}

// Compile-time guard: adding a field to ZenConfig without a row here fails the build.
type MissingOptions = Exclude<ConfigKey, (typeof OPTIONS)[number]['name']>;
const everyKeyHasAnOption: [MissingOptions] extends [never] ? true : MissingOptions = true;
void everyKeyHasAnOption;
