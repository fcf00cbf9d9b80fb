import { isConfigError } from '../config/errors.js';
import { OPTIONS_BY_NAME } from '../config/options.js';
import type { ZenConfig } from '../config/types.js';
import { isZenError } from '../errors.js';

export interface StartupFailure {
  readonly message: string;
  /** Known failures are the user's environment or input: the stack would only add noise. */
  readonly known: boolean;
}

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  port?: number;
  address?: string;
  path?: string;
}

const PORT_KEYS = ['grpcPort', 'restPort', 'systemPort'] as const;

function portOption(config: ZenConfig, port: number | undefined): string {
  const key = PORT_KEYS.find((k) => config[k] === port);
  if (!key) return `port ${port}`;
  const o = OPTIONS_BY_NAME.get(key)!;
  return `${key} ${port} (${o.flag} / ${o.env})`;
}

export function describeStartupError(err: unknown, config: ZenConfig): StartupFailure {
  if (isConfigError(err) || isZenError(err)) return { message: err.message, known: true };
  const e = err as SystemError;
  if (e instanceof Error && e.syscall === 'listen') {
    switch (e.code) {
      case 'EADDRINUSE':
        return { message: `${portOption(config, e.port)} is already in use on ${e.address ?? config.host}`, known: true };
      case 'EACCES':
        return { message: `no permission to bind ${portOption(config, e.port)}; ports below 1024 need privileges`, known: true };
      case 'EADDRNOTAVAIL':
        return { message: `host ${e.address ?? config.host} is not an address of this machine (--host / ZEN_HOST)`, known: true };
    }
  }
  // Other system-call failures (a read-only or missing dataDir, too many open files) are about
  // the environment; Node's message already names the call and the path.
  if (e instanceof Error && typeof e.syscall === 'string' && typeof e.code === 'string') {
    return { message: e.message, known: true };
  }
  return { message: e instanceof Error ? e.message : String(err), known: false };
}
