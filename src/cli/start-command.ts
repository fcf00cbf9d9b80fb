import { isConfigError } from '../config/errors.js';
import { loadConfigWithSources, type LoadedConfig } from '../config/load.js';
import { OPTIONS } from '../config/options.js';
import type { ConfigKey, ConfigSource, ZenConfig } from '../config/types.js';
import type { Logger, LoggerOptions } from '../log/logger.js';
import { GracefulShutdown, type Stoppable } from './shutdown.js';
import { describeStartupError } from './startup-error.js';

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/** What `zen start` touches outside itself, injected so tests need no process, ports or engine. */
export interface StartDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  readonly startNode: (config: ZenConfig, logger: Logger, sources?: Readonly<Partial<Record<ConfigKey, ConfigSource>>>) => Promise<Stoppable>;
  readonly createLogger: (options: LoggerOptions) => Logger;
  readonly exit: (code: number) => void;
  readonly onSignal: (signal: ShutdownSignal, handler: () => void) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Loads the configuration, starts the node and arms signal handling. Resolves with an exit code
 * when start fails, or with undefined once the node runs (the process then lives until a signal).
 */
export async function runStart(flags: Readonly<Record<string, unknown>>, deps: StartDeps): Promise<number | undefined> {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfigWithSources(flags, deps.env);
  } catch (err) {
    // No logger yet: its level and format are part of what failed to load.
    if (isConfigError(err)) {
      deps.stderr(`zen: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const { config, sources, configFile } = loaded;
  const logger = deps.createLogger({ level: config.logLevel, format: config.logFormat });
  const overridden = Object.fromEntries(
    (Object.keys(sources) as ConfigKey[]).filter((k) => sources[k] !== 'default').map((k) => [k, sources[k]]),
  );
  // Secrets never reach a log line; whether one is set does.
  const logged: Record<string, unknown> = { ...config };
  for (const option of OPTIONS) if (option.secret) logged[option.name] = config[option.name] === '' ? '' : '(set)';
  logger.info({ version: deps.version, configFile, config: logged, overridden }, `zen ${deps.version} starting`);

  const shutdown = new GracefulShutdown(logger, deps.exit);
  deps.onSignal('SIGTERM', () => shutdown.onSignal('SIGTERM'));
  deps.onSignal('SIGINT', () => shutdown.onSignal('SIGINT'));

  let node: Stoppable;
  try {
    node = await deps.startNode(config, logger, sources);
  } catch (err) {
    const failure = describeStartupError(err, config);
    logger.fatal(failure.known ? {} : { err }, `startup failed: ${failure.message}`);
    if (config.logLevel === 'silent') deps.stderr(`zen: startup failed: ${failure.message}\n`);
    return 1;
  }
  logger.info('zen started');
  shutdown.attach(node);
  return undefined;
}
