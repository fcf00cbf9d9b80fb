/**
 * A node's certificates, from its configuration: the gateway's (gRPC and REST ports) and the
 * private port's (mutual TLS between nodes), each loaded and checked before any port opens and
 * then followed as its files change.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import type { ZenConfig } from '../config/types.js';
import { TlsFileError, type TlsFiles } from './material.js';
import { TlsFileWatcher, type TlsLogger, type TlsWatchOptions } from './watcher.js';

export { TlsFileError, loadTlsMaterial, type TlsMaterial, type TlsFiles } from './material.js';
export { TlsFileWatcher, type TlsSource, type TlsLogger, type TlsWatchOptions } from './watcher.js';
export { peerChannelCredentials, serverCredentialsFrom } from './grpc-credentials.js';

export interface NodeTls {
  /** The gRPC and REST ports' certificate; null: they serve plaintext. */
  readonly gateway: TlsFileWatcher | null;
  /** The private port's certificate and CA; null: plain TCP between nodes. */
  readonly peer: TlsFileWatcher | null;
  close(): void;
}

/** The gateway's files, or null when no TLS is configured (start-up checked they come in pairs). */
export function gatewayTlsFiles(config: ZenConfig): TlsFiles | null {
  if (config.tlsCertFile === '') return null;
  return {
    cert: { option: 'tlsCertFile', path: resolve(config.tlsCertFile) },
    key: { option: 'tlsKeyFile', path: resolve(config.tlsKeyFile) },
    use: 'server',
  };
}

export function peerTlsFiles(config: ZenConfig): TlsFiles | null {
  if (config.privateTlsCertFile === '') return null;
  return {
    cert: { option: 'privateTlsCertFile', path: resolve(config.privateTlsCertFile) },
    key: { option: 'privateTlsKeyFile', path: resolve(config.privateTlsKeyFile) },
    ca: { option: 'privateTlsCaFile', path: resolve(config.privateTlsCaFile) },
    use: 'peer',
  };
}

/**
 * Loads every configured certificate; a file that cannot serve stops the start with a
 * ConfigError naming its option (and nothing is left watching).
 */
export function openNodeTls(config: ZenConfig, logger: TlsLogger, options: TlsWatchOptions = {}): NodeTls {
  const opened: TlsFileWatcher[] = [];
  const open = (name: string, files: TlsFiles | null): TlsFileWatcher | null => {
    if (!files) return null;
    try {
      const watcher = TlsFileWatcher.open(name, files, logger, options);
      opened.push(watcher);
      return watcher;
    } catch (err) {
      for (const watcher of opened) watcher.close();
      if (err instanceof TlsFileError) throw new ConfigError([{ option: err.option, message: err.message }]);
      throw err;
    }
  };
  const gateway = open('gateway', gatewayTlsFiles(config));
  const peer = open('private port', peerTlsFiles(config));
  return {
    gateway,
    peer,
    close: () => {
      for (const watcher of opened) watcher.close();
    },
  };
}
