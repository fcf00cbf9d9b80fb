import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from './errors.js';
import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG } from './options.js';
import { resolveConfig, type ConfigFileInput, type ResolvedConfig } from './resolve.js';
import type { ZenConfig } from './types.js';

export interface LoadedConfig extends ResolvedConfig {
  /** The YAML file that was read, if any. */
  readonly configFile: string | undefined;
}

/**
 * Reads the YAML file named by `configFilePath`, `argvOptions.config` or ZEN_CONFIG (in that
 * order) and resolves the configuration from flags > env > file > defaults.
 * Throws ConfigError for anything wrong, including an unreadable or malformed file.
 */
export function loadConfigWithSources(
  argvOptions: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  configFilePath?: string,
): LoadedConfig {
  const { config: flagConfigPath, ...flags } = argvOptions;
  let path: string | undefined;
  let origin: string;
  if (configFilePath !== undefined) {
    path = configFilePath;
    origin = 'argument';
  } else if (typeof flagConfigPath === 'string' && flagConfigPath !== '') {
    path = flagConfigPath;
    origin = `flag ${CONFIG_FILE_FLAG}`;
  } else {
    path = env[CONFIG_FILE_ENV] || undefined;
    origin = `env ${CONFIG_FILE_ENV}`;
  }
  const file = path === undefined ? undefined : readConfigFile(path, origin);
  return { ...resolveConfig({ flags, env, file }), configFile: path };
}

export function loadConfig(
  argvOptions: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  configFilePath?: string,
): ZenConfig {
  return loadConfigWithSources(argvOptions, env, configFilePath).config;
}

function readConfigFile(path: string, origin: string): ConfigFileInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError([{ source: 'file', value: path, message: `cannot read config file ${path} (from ${origin}): ${reason}` }]);
  }
  try {
    return { path, content: parseYaml(text) };
  } catch (err) {
    const where =
      err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    // yaml appends its own "at line …" and a code frame; we keep one position and one line.
    const reason = (err as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError([{ source: 'file', value: path, message: `config file ${path} is not valid YAML${where}: ${reason}` }]);
  }
}
