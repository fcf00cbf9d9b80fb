import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, OPTIONS, resolveConfig, type ConfigInputs } from '../../../src/config/index.js';

function errorOf(inputs: ConfigInputs): ConfigError {
  try {
    resolveConfig(inputs);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const messages = (inputs: ConfigInputs) => errorOf(inputs).issues.map((i) => i.message);

const file = (content: unknown) => ({ path: 'zen.yaml', content });

describe('resolveConfig precedence', () => {
  it('uses the defaults when nothing is given', () => {
    const { config, sources } = resolveConfig({});
    expect(config).toEqual({
      dataDir: './data',
      host: '0.0.0.0',
      grpcPort: 26500,
      restPort: 8080,
      systemPort: 9600,
      partitions: 1,
      logLevel: 'info',
      logFormat: 'json',
      maxMessageSize: 4 * 1024 * 1024,
      maxResourcesPerDeployment: 100,
      syncMode: 'full',
      maxBatchSize: 500,
      backpressureLimit: 2000,
      etcdEndpoints: [],
      partitionEtcdEndpoints: [],
      nodeId: 0,
      zone: 'default',
      clusterName: 'zen',
      replicationFactor: 1,
      advertiseHost: '',
      privatePort: 26502,
      advertisePrivatePort: 0,
      controllerOnly: false,
      clusterSecret: '',
      leaseTtl: 3,
      rebalanceDelay: 60,
      partitionAppendsInFlight: 1,
      partitionAppendGap: 'auto',
      clockControl: false,
      multiTenancy: false,
      history: true,
      historyRetention: 7 * 86_400_000,
      tracingLevel: 'off',
      tlsCertFile: '',
      tlsKeyFile: '',
      privateTlsCertFile: '',
      privateTlsKeyFile: '',
      privateTlsCaFile: '',
      auth: 'none',
      adminUser: '',
      adminPassword: '',
      authorizations: false,
      oidcIssuer: '',
      oidcAudience: '',
      oidcJwksUrl: '',
      oidcUsernameClaim: 'sub',
      oidcClientIdClaim: '',
      oidcGroupsClaim: '',
      consoleClientId: 'zen-console',
      backupStore: 'none',
      backupDir: '',
      backupS3Bucket: '',
      backupS3Endpoint: '',
      backupS3Region: '',
    });
    expect(config).toEqual(defaultConfig());
    expect(Object.values(sources).every((s) => s === 'default')).toBe(true);
  });

  it('orders flag > env > file > default, per option', () => {
    const { config, sources } = resolveConfig({
      flags: { grpcPort: '1001' },
      env: { ZEN_GRPC_PORT: '2001', ZEN_REST_PORT: '2002' },
      file: file({ grpcPort: 3001, restPort: 3002, systemPort: 3003 }),
    });
    expect([config.grpcPort, config.restPort, config.systemPort, config.partitions]).toEqual([1001, 2002, 3003, 1]);
    expect([sources.grpcPort, sources.restPort, sources.systemPort, sources.partitions]).toEqual([
      'flag',
      'env',
      'file',
      'default',
    ]);
  });

  it('treats an empty env var and a YAML key without value as unset', () => {
    const { config, sources } = resolveConfig({
      env: { ZEN_LOG_LEVEL: '' },
      file: file({ logLevel: null, partitions: 4 }),
    });
    expect(config.logLevel).toBe('info');
    expect(sources.logLevel).toBe('default');
    expect(config.partitions).toBe(4);
  });

  it('ignores env vars outside the ZEN_ namespace', () => {
    expect(() => resolveConfig({ env: { PATH: '/bin', ZENITH: 'x', HOME: '/root' } })).not.toThrow();
  });

  it('accepts ZEN_CONFIG as a known variable', () => {
    expect(() => resolveConfig({ env: { ZEN_CONFIG: 'zen.yaml' } })).not.toThrow();
  });

  it('parses sizes, enums case-insensitively and typed YAML values', () => {
    const { config } = resolveConfig({
      flags: { maxMessageSize: '512KB', logLevel: 'DEBUG' },
      env: { ZEN_SYNC_MODE: 'Normal', ZEN_LOG_FORMAT: 'pretty' },
      file: file({ maxBatchSize: 1000, partitions: '8', host: '127.0.0.1', dataDir: '/var/lib/zen' }),
    });
    expect(config).toMatchObject({
      maxMessageSize: 512 * 1024,
      logLevel: 'debug',
      syncMode: 'normal',
      logFormat: 'pretty',
      maxBatchSize: 1000,
      partitions: 8,
      host: '127.0.0.1',
      dataDir: '/var/lib/zen',
    });
  });

  it('allows port 0 on several ports (the OS picks distinct ones)', () => {
    const { config } = resolveConfig({ flags: { grpcPort: '0', restPort: '0', systemPort: '0' } });
    expect([config.grpcPort, config.restPort, config.systemPort]).toEqual([0, 0, 0]);
  });
});

describe('resolveConfig validation messages', () => {
  it('names option, value and flag for a non-integer port', () => {
    expect(messages({ flags: { grpcPort: 'abc' } })).toEqual([
      'grpcPort must be an integer from 0 to 65535, got "abc" from flag --grpc-port',
    ]);
  });

  it('reads the advertised private port and rejects one out of range', () => {
    expect(resolveConfig({ flags: { advertisePrivatePort: '31000' } }).config.advertisePrivatePort).toBe(31000);
    expect(messages({ env: { ZEN_ADVERTISE_PRIVATE_PORT: '65536' } })).toEqual([
      'advertisePrivatePort must be an integer from 0 to 65535, got "65536" from env ZEN_ADVERTISE_PRIVATE_PORT',
    ]);
  });

  it('names the env var for a port out of range', () => {
    expect(messages({ env: { ZEN_REST_PORT: '70000' } })).toEqual([
      'restPort must be an integer from 0 to 65535, got "70000" from env ZEN_REST_PORT',
    ]);
  });

  it('names the file and key for a fractional or negative port', () => {
    expect(messages({ file: file({ systemPort: 9600.5 }) })).toEqual([
      'systemPort must be an integer from 0 to 65535, got 9600.5 from file zen.yaml (key systemPort)',
    ]);
    expect(messages({ file: file({ systemPort: -1 }) })).toEqual([
      'systemPort must be an integer from 0 to 65535, got -1 from file zen.yaml (key systemPort)',
    ]);
  });

  it('rejects partitions outside 1..64', () => {
    expect(messages({ flags: { partitions: '0' } })).toEqual([
      'partitions must be an integer from 1 to 64, got "0" from flag --partitions',
    ]);
    expect(messages({ env: { ZEN_PARTITIONS: '65' } })).toEqual([
      'partitions must be an integer from 1 to 64, got "65" from env ZEN_PARTITIONS',
    ]);
    expect(messages({ file: file({ partitions: 2.5 }) })).toEqual([
      'partitions must be an integer from 1 to 64, got 2.5 from file zen.yaml (key partitions)',
    ]);
  });

  it('lists the allowed values of enums', () => {
    expect(messages({ flags: { logLevel: 'verbose' } })).toEqual([
      'logLevel must be one of trace, debug, info, warn, error, fatal, silent, got "verbose" from flag --log-level',
    ]);
    expect(messages({ env: { ZEN_LOG_FORMAT: 'text' } })).toEqual([
      'logFormat must be one of json, pretty, got "text" from env ZEN_LOG_FORMAT',
    ]);
    expect(messages({ file: file({ syncMode: 'off' }) })).toEqual([
      'syncMode must be one of full, normal, got "off" from file zen.yaml (key syncMode)',
    ]);
  });

  it('rejects negative, malformed and out-of-range sizes', () => {
    expect(messages({ flags: { maxMessageSize: '-1MB' } })).toEqual([
      'maxMessageSize must not be negative, got "-1MB" from flag --max-message-size',
    ]);
    expect(messages({ file: file({ maxMessageSize: -5 }) })).toEqual([
      'maxMessageSize must not be negative, got -5 from file zen.yaml (key maxMessageSize)',
    ]);
    expect(messages({ env: { ZEN_MAX_MESSAGE_SIZE: '4 megs' } })).toEqual([
      'maxMessageSize must be a whole number of bytes, optionally with a KB, MB or GB suffix (e.g. 4MB), from 1KB to 128MB, got "4 megs" from env ZEN_MAX_MESSAGE_SIZE',
    ]);
    expect(messages({ flags: { maxMessageSize: '1GB' } })).toEqual([
      'maxMessageSize must be from 1KB to 128MB, got "1GB" from flag --max-message-size',
    ]);
    expect(messages({ flags: { maxMessageSize: '100' } })).toEqual([
      'maxMessageSize must be from 1KB to 128MB, got "100" from flag --max-message-size',
    ]);
  });

  it('bounds maxBatchSize and maxResourcesPerDeployment', () => {
    expect(messages({ flags: { maxBatchSize: '0', maxResourcesPerDeployment: '1001' } })).toEqual([
      'maxResourcesPerDeployment must be an integer from 1 to 1000, got "1001" from flag --max-resources-per-deployment',
      'maxBatchSize must be an integer from 1 to 10000, got "0" from flag --max-batch-size',
    ]);
  });

  it('rejects an empty dataDir and a malformed host', () => {
    expect(messages({ flags: { dataDir: '  ', host: 'not a host' } })).toEqual([
      'dataDir must be a non-empty string, got "  " from flag --data-dir',
      'host must be an IP address or host name, got "not a host" from flag --host',
    ]);
  });

  it('accepts IPv6 addresses and host names', () => {
    expect(resolveConfig({ flags: { host: '::' } }).config.host).toBe('::');
    expect(resolveConfig({ flags: { host: 'zen-0.zen.svc.cluster.local' } }).config.host).toBe(
      'zen-0.zen.svc.cluster.local',
    );
  });

  it('rejects YAML values of the wrong shape', () => {
    expect(messages({ file: file({ grpcPort: [1], logLevel: true, dataDir: { a: 1 } }) })).toEqual([
      'dataDir must be a non-empty string, got {"a":1} from file zen.yaml (key dataDir)',
      'grpcPort must be an integer from 0 to 65535, got [1] from file zen.yaml (key grpcPort)',
      'logLevel must be one of trace, debug, info, warn, error, fatal, silent, got true from file zen.yaml (key logLevel)',
    ]);
  });

  it('validates a lower layer even when a higher one overrides it', () => {
    expect(messages({ flags: { grpcPort: '1' }, env: { ZEN_GRPC_PORT: 'x' } })).toEqual([
      'grpcPort must be an integer from 0 to 65535, got "x" from env ZEN_GRPC_PORT',
    ]);
  });

  it('fails on an unknown ZEN_ env var and suggests the closest', () => {
    const err = errorOf({ env: { ZEN_GRPC_PROT: '1' } });
    expect(err.issues.map((i) => i.message)).toEqual([
      'unknown environment variable ZEN_GRPC_PROT (did you mean ZEN_GRPC_PORT?)',
    ]);
    expect(err.issues[0]!.source).toBe('env');
    expect(messages({ env: { ZEN_SOMETHING_ELSE: '1' } })).toEqual(['unknown environment variable ZEN_SOMETHING_ELSE']);
  });

  it('fails on an unknown YAML key and suggests the closest', () => {
    expect(messages({ file: file({ grpcport: 1 }) })).toEqual([
      'unknown key grpcport in config file zen.yaml (did you mean grpcPort?)',
    ]);
  });

  it('fails on a YAML document that is not a mapping', () => {
    expect(messages({ file: file(['grpcPort']) })).toEqual([
      'config file zen.yaml must be a mapping of option names to values, got a list',
    ]);
    expect(messages({ file: file('grpcPort') })).toEqual([
      'config file zen.yaml must be a mapping of option names to values, got "grpcPort"',
    ]);
  });

  it('fails on an unknown flag passed programmatically', () => {
    expect(messages({ flags: { grpcPrt: '1' } })).toEqual(['unknown flag --grpc-prt (did you mean --grpc-port?)']);
  });

  it('fails when two ports are equal, naming where each came from', () => {
    expect(messages({ flags: { restPort: '26500' } })).toEqual([
      'grpcPort (default) and restPort (flag --rest-port) are both 26500; each port must be different',
    ]);
  });

  it('reports every issue in one single-line error', () => {
    const err = errorOf({ flags: { grpcPort: 'x' }, env: { ZEN_PARTITIONS: '0', ZEN_TYPO: '1' } });
    expect(err.issues).toHaveLength(3);
    expect(err.message).toMatch(/^Invalid configuration \(3 problems\): /);
    expect(err.message).not.toContain('\n');
  });

  it('has a description, flag, env var and YAML key for every option', () => {
    for (const o of OPTIONS) {
      // Digits only inside a word (backupS3Bucket: --backup-s3-bucket, ZEN_BACKUP_S3_BUCKET).
      expect(o.flag).toMatch(/^--[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/);
      expect(o.env).toMatch(/^ZEN_[A-Z][A-Z0-9]*(_[A-Z][A-Z0-9]*)*$/);
      expect(o.yamlKey).toBe(o.name);
      expect(o.description.length).toBeGreaterThan(10);
      expect(o.parse(o.defaultValue)).toEqual({ ok: true, value: o.defaultValue });
    }
  });
});

describe('cluster options', () => {
  it('reads etcd endpoints as a list and a bare switch as true', () => {
    const { config } = resolveConfig({
      flags: { etcdEndpoints: 'http://127.0.0.1:2379, http://127.0.0.1:2380', controllerOnly: true },
      env: { ZEN_NODE_ID: '2', ZEN_ZONE: 'b' },
    });
    expect(config.etcdEndpoints).toEqual(['http://127.0.0.1:2379', 'http://127.0.0.1:2380']);
    expect(config.controllerOnly).toBe(true);
    expect([config.nodeId, config.zone]).toEqual([2, 'b']);
  });

  it('reads partition etcd clusters from a flag, the env and a YAML list, each cluster a list of endpoints', () => {
    const main = { etcdEndpoints: 'http://m:2379' };
    const expected = [['http://a1:2379', 'http://a2:2379'], ['http://b1:2379']];
    expect(resolveConfig({ flags: { ...main, partitionEtcdEndpoints: 'http://a1:2379, http://a2:2379 ; http://b1:2379;' } }).config.partitionEtcdEndpoints).toEqual(expected);
    expect(
      resolveConfig({ flags: main, env: { ZEN_PARTITION_ETCD_ENDPOINTS: 'http://a1:2379,http://a2:2379;http://b1:2379' } }).config.partitionEtcdEndpoints,
    ).toEqual(expected);
    expect(
      resolveConfig({ flags: main, file: file({ partitionEtcdEndpoints: [['http://a1:2379', 'http://a2:2379'], 'http://b1:2379'] }) }).config
        .partitionEtcdEndpoints,
    ).toEqual(expected);
  });

  it('refuses partition etcd clusters without main etcd endpoints, naming both options', () => {
    expect(messages({ flags: { partitionEtcdEndpoints: 'http://a:2379' } })).toEqual([
      'partitionEtcdEndpoints (flag --partition-etcd-endpoints) needs etcdEndpoints: the main etcd holds membership and the cluster log',
    ]);
  });

  it('rejects endpoints that are not URLs and switches that are not booleans', () => {
    expect(() => resolveConfig({ flags: { etcdEndpoints: 'localhost:2379' } })).toThrow(/etcdEndpoints must list http/);
    expect(() => resolveConfig({ env: { ZEN_CONTROLLER_ONLY: 'maybe' } })).toThrow(/controllerOnly must be true or false/);
  });
});

describe('authentication options', () => {
  it('reads the mode, the administrator (ZEN_ADMIN_USER / ZEN_ADMIN_PASSWORD) and the OIDC settings', () => {
    const { config } = resolveConfig({
      flags: { auth: 'BASIC', adminUser: 'admin' },
      env: { ZEN_ADMIN_PASSWORD: 'pw-from-env', ZEN_OIDC_GROUPS_CLAIM: '$.realm_access.roles', ZEN_OIDC_JWKS_URL: 'https://id.example.com/jwks' },
    });
    expect(config).toMatchObject({
      auth: 'basic',
      adminUser: 'admin',
      adminPassword: 'pw-from-env',
      oidcGroupsClaim: '$.realm_access.roles',
      oidcJwksUrl: 'https://id.example.com/jwks',
    });
    expect(() => resolveConfig({ flags: { auth: 'ldap' } })).toThrow(/auth must be one of none, basic, oidc/);
  });

  it('wants the administrator as a pair, with a valid username and a password that is not blank', () => {
    expect(messages({ flags: { adminUser: 'admin' } })).toEqual([
      'adminUser (flag --admin-user) needs adminPassword (flag --admin-password or env ZEN_ADMIN_PASSWORD)',
    ]);
    expect(messages({ env: { ZEN_ADMIN_PASSWORD: 'pw' } })).toEqual(['adminPassword (env ZEN_ADMIN_PASSWORD) needs adminUser (flag --admin-user or env ZEN_ADMIN_USER)']);
    expect(messages({ flags: { adminUser: 'ad:min', adminPassword: 'pw' } })[0]).toContain('adminUser (flag --admin-user) is not a valid username');
    expect(messages({ flags: { adminUser: 'admin', adminPassword: '   ' } })).toEqual(['adminPassword (flag --admin-password) must not be blank']);
  });

  it('never shows a secret value in a message, nor keeps it on the issue', () => {
    const err = errorOf({ file: file({ adminUser: 'admin', adminPassword: ['hunter2-in-a-list'] }) });
    expect(err.message).toContain('adminPassword must be a string, got a value (not shown) from file zen.yaml');
    expect(err.message).not.toContain('hunter2');
    expect(err.issues.every((i) => i.value === undefined)).toBe(true);
    expect(OPTIONS.filter((o) => (o as { secret?: boolean }).secret).map((o) => o.name)).toEqual(['clusterSecret', 'adminPassword']);
  });

  it('needs an issuer and an audience for oidc, and URLs where URLs go', () => {
    expect(messages({ flags: { auth: 'oidc' } })).toEqual([
      'auth oidc (flag --auth) needs oidcIssuer (flag --oidc-issuer or env ZEN_OIDC_ISSUER)',
      'auth oidc (flag --auth) needs oidcAudience (flag --oidc-audience or env ZEN_OIDC_AUDIENCE)',
    ]);
    expect(() => resolveConfig({ flags: { oidcIssuer: 'id.example.com' } })).toThrow(/oidcIssuer must be an http/);
    expect(() => resolveConfig({ flags: { oidcUsernameClaim: 'a claim' } })).toThrow(/oidcUsernameClaim must be a claim name/);
  });
});

describe('authorizations option', () => {
  it('needs auth basic or oidc, and says so', () => {
    expect(errorOf({ flags: { authorizations: 'true' } }).message).toMatch(/authorizations \(.*\) needs auth basic or oidc/);
    expect(resolveConfig({ env: { ZEN_AUTHORIZATIONS: 'true', ZEN_AUTH: 'basic' } }).config.authorizations).toBe(true);
  });
});

describe('backup store options', () => {
  it('needs the directory with fs and the bucket with s3, naming the option', () => {
    expect(() => resolveConfig({ flags: { backupStore: 'fs' } })).toThrow('backupStore fs (flag --backup-store) needs backupDir (flag --backup-dir or env ZEN_BACKUP_DIR)');
    expect(() => resolveConfig({ env: { ZEN_BACKUP_STORE: 's3' } })).toThrow('backupStore s3 (env ZEN_BACKUP_STORE) needs backupS3Bucket (flag --backup-s3-bucket or env ZEN_BACKUP_S3_BUCKET)');
    expect(() => resolveConfig({ flags: { backupStore: 'tape' } })).toThrow(/backupStore must be one of none, fs, s3/);
    expect(resolveConfig({ flags: { backupStore: 's3', backupS3Bucket: 'b', backupS3Endpoint: 'http://minio:9000' } }).config.backupS3Endpoint).toBe('http://minio:9000');
  });
});
