/** The TLS options: files that only make sense together are refused apart, before anything starts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, resolveConfig, type ConfigInputs } from '../../../src/config/index.js';
import { openNodeTls } from '../../../src/tls/index.js';
import { RecordingLogger } from '../../support/recording-logger.js';

function messages(inputs: ConfigInputs): string[] {
  try {
    resolveConfig(inputs);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => i.message);
    throw err;
  }
  return expect.fail('expected a ConfigError');
}

const ETCD = { ZEN_ETCD_ENDPOINTS: 'http://127.0.0.1:2379' };

describe('TLS options', () => {
  it('are read from flags, env and file like every option', () => {
    const { config } = resolveConfig({
      flags: { tlsCertFile: 'gateway.pem' },
      env: { ...ETCD, ZEN_TLS_KEY_FILE: ' gateway.key ', ZEN_PRIVATE_TLS_CERT_FILE: 'node.pem' },
      file: { path: 'zen.yaml', content: { privateTlsKeyFile: 'node.key', privateTlsCaFile: 'ca.pem' } },
    });
    expect(config).toMatchObject({
      tlsCertFile: 'gateway.pem',
      tlsKeyFile: 'gateway.key',
      privateTlsCertFile: 'node.pem',
      privateTlsKeyFile: 'node.key',
      privateTlsCaFile: 'ca.pem',
    });
  });

  it('refuse a certificate without its key, and a key without its certificate', () => {
    expect(messages({ flags: { tlsCertFile: 'gateway.pem' } })).toEqual([
      'tlsCertFile, tlsKeyFile go together: tlsCertFile is set (flag --tls-cert-file) but tlsKeyFile is not (--tls-key-file)',
    ]);
    expect(messages({ env: { ZEN_TLS_KEY_FILE: 'gateway.key' } })).toEqual([
      'tlsCertFile, tlsKeyFile go together: tlsKeyFile is set (env ZEN_TLS_KEY_FILE) but tlsCertFile is not (--tls-cert-file)',
    ]);
  });

  it('refuse mutual TLS without its CA, and on a node without a cluster', () => {
    expect(messages({ env: { ...ETCD, ZEN_PRIVATE_TLS_CERT_FILE: 'n.pem', ZEN_PRIVATE_TLS_KEY_FILE: 'n.key' } })).toEqual([
      'privateTlsCertFile, privateTlsKeyFile, privateTlsCaFile go together: privateTlsCertFile is set (env ZEN_PRIVATE_TLS_CERT_FILE), privateTlsKeyFile is set (env ZEN_PRIVATE_TLS_KEY_FILE) but privateTlsCaFile is not (--private-tls-ca-file)',
    ]);
    expect(messages({ flags: { privateTlsCertFile: 'n.pem', privateTlsKeyFile: 'n.key', privateTlsCaFile: 'ca.pem' } })).toEqual([
      'privateTlsCertFile (flag --private-tls-cert-file) needs etcdEndpoints: only a cluster node has a private port',
    ]);
  });

  it('stop the start with the option named when a file cannot serve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zen-tls-options-'));
    try {
      writeFileSync(join(dir, 'gateway.pem'), 'not a certificate');
      writeFileSync(join(dir, 'gateway.key'), 'not a key');
      const config = { ...defaultConfig(), tlsCertFile: join(dir, 'gateway.pem'), tlsKeyFile: join(dir, 'gateway.key') };
      expect(() => openNodeTls(config, new RecordingLogger())).toThrow(ConfigError);
      expect(() => openNodeTls(config, new RecordingLogger())).toThrow(
        `Invalid configuration: tlsCertFile (--tls-cert-file / ZEN_TLS_CERT_FILE): ${join(dir, 'gateway.pem')} holds no PEM certificate`,
      );
      // Nothing configured, nothing opened.
      const none = openNodeTls(defaultConfig(), new RecordingLogger());
      expect(none.gateway).toBeNull();
      expect(none.peer).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
