import type { ConfigKey, ConfigSource } from './types.js';

/** One thing wrong with the configuration; `message` is complete on its own. */
export interface ConfigIssue {
  readonly message: string;
  readonly option?: ConfigKey;
  readonly source?: ConfigSource;
  readonly value?: unknown;
}

/**
 * Raised before anything starts. Carries every issue found, not only the first, so a user fixes
 * a config file in one round trip. The message is a single line: the CLI prints it without a stack.
 */
export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      issues.length === 1
        ? `Invalid configuration: ${issues[0]!.message}`
        : `Invalid configuration (${issues.length} problems): ${issues.map((i) => i.message).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof ConfigError;
}
