export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const SYNC_MODES = ['full', 'normal'] as const;
/** `full`: fsync on every group commit. `normal`: fsync at state checkpoints (about once a second) and WAL checkpoints (survives kill -9; a power loss may lose the last second). */
export type SyncMode = (typeof SYNC_MODES)[number];

export const TRACING_LEVELS = ['off', 'api', 'engine', 'workers', 'full'] as const;
/** Each level traces what the one before it does, and more (see src/tracing/). */
export type TracingLevel = (typeof TRACING_LEVELS)[number];

export const BACKUP_STORES = ['none', 'fs', 's3'] as const;
/** Where backups go (src/backup/): nowhere (the backup routes refuse), a directory, S3-compatible storage. */
export type BackupStoreKind = (typeof BACKUP_STORES)[number];

export const AUTH_MODES = ['none', 'basic', 'oidc'] as const;
/** How callers of the gRPC and REST ports authenticate (src/security/). */
export type AuthMode = (typeof AUTH_MODES)[number];

/** The resolved configuration of one node. Sizes are in bytes. */
export interface ZenConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly grpcPort: number;
  readonly restPort: number;
  readonly systemPort: number;
  readonly partitions: number;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly maxMessageSize: number;
  readonly maxResourcesPerDeployment: number;
  readonly syncMode: SyncMode;
  readonly maxBatchSize: number;
  /** Client commands queued in a partition beyond which new work is refused (RESOURCE_EXHAUSTED). */
  readonly backpressureLimit: number;
  /** Cluster: integer id of this node, unique in the cluster. */
  readonly nodeId: number;
  readonly zone: string;
  /** etcd client URLs; empty = a standalone node without etcd. */
  readonly etcdEndpoints: readonly string[];
  /**
   * Further etcd clusters for partition logs, each a list of client URLs; empty = partition
   * logs on the main etcd (`etcdEndpoints`).
   */
  readonly partitionEtcdEndpoints: readonly (readonly string[])[];
  readonly clusterName: string;
  readonly replicationFactor: number;
  /** Host other nodes and clients use to reach this node; empty = derived from `host`. */
  readonly advertiseHost: string;
  readonly privatePort: number;
  readonly advertisePrivatePort: number;
  readonly controllerOnly: boolean;
  /** Shared secret for the private port; empty = no check. Never logged. */
  readonly clusterSecret: string;
  /** Seconds without etcd keep-alives after which a node's leaderships and registration lapse. */
  readonly leaseTtl: number;
  /** Seconds a partition group may be short of members before the controller replaces them. */
  readonly rebalanceDelay: number;
  /** Appends a partition leader keeps in flight to etcd. */
  readonly partitionAppendsInFlight: number;
  /** Least ms between the starts of a partition leader's appends (0: none; auto: follows the load, append-pacer.ts). */
  readonly partitionAppendGap: number | 'auto';
  /** PUT /v2/clock and POST /v2/clock/reset may pin and reset the engine clock (testing only). */
  readonly clockControl: boolean;
  /** Requests may name tenants other than `<default>`; everything belongs to one tenant. */
  readonly multiTenancy: boolean;
  /** Keep the queryable history of every partition (ADR 010). */
  readonly history: boolean;
  /** Milliseconds after an instance ended that its history is deleted; 0 keeps it forever. */
  readonly historyRetention: number;
  /** Which OpenTelemetry spans the node exports over OTLP; off starts no SDK. */
  readonly tracingLevel: TracingLevel;
  /** Authentication on the gRPC and REST ports: none (anonymous), basic (users), oidc (tokens). */
  readonly auth: AuthMode;
  /** The first administrator, created at start if absent; empty = none. */
  readonly adminUser: string;
  /** Its password; never logged. */
  readonly adminPassword: string;
  /** Enforce the authorizations on every operation (needs auth basic or oidc). */
  readonly authorizations: boolean;
  /** OIDC: the issuer tokens must name (`iss`). */
  readonly oidcIssuer: string;
  /** OIDC: the audience tokens must name (`aud`). */
  readonly oidcAudience: string;
  /** OIDC: where the signing keys are; empty = from the issuer's discovery document. */
  readonly oidcJwksUrl: string;
  /** OIDC: the claim that names a user. */
  readonly oidcUsernameClaim: string;
  /** OIDC: the claim that names a machine client; empty = `azp`, then `client_id`. */
  readonly oidcClientIdClaim: string;
  /** OIDC: the claim that lists a principal's groups; empty = none. */
  readonly oidcGroupsClaim: string;
  /** OIDC: the public client id Zen Console signs users in with (code flow + PKCE). */
  readonly consoleClientId: string;
  /** PEM certificate chain the gRPC and REST ports serve TLS with; empty = plaintext. */
  readonly tlsCertFile: string;
  /** PEM private key of `tlsCertFile`; set together with it. */
  readonly tlsKeyFile: string;
  /** Cluster: PEM certificate chain this node presents on the private port (mutual TLS); empty = plain TCP. */
  readonly privateTlsCertFile: string;
  /** Cluster: PEM private key of `privateTlsCertFile`. */
  readonly privateTlsKeyFile: string;
  /** Cluster: PEM CA certificates a peer's certificate must be signed by on the private port. */
  readonly privateTlsCaFile: string;
  /** Where backups go; none = the backup routes answer that no store is configured. */
  readonly backupStore: BackupStoreKind;
  /** fs store: the directory (shared by every node of a cluster). */
  readonly backupDir: string;
  /** s3 store: the bucket. */
  readonly backupS3Bucket: string;
  /** s3 store: an S3-compatible endpoint URL; empty = AWS. */
  readonly backupS3Endpoint: string;
  /** s3 store: the region; empty = from the AWS SDK's chain (AWS_REGION). */
  readonly backupS3Region: string;
}

export type ConfigKey = keyof ZenConfig;

/** Where a value came from, in increasing precedence. */
export type ConfigSource = 'default' | 'file' | 'env' | 'flag';
