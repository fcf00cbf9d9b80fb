export * from './types.js';
export { ConfigError, isConfigError, type ConfigIssue } from './errors.js';
export {
  OPTIONS,
  OPTIONS_BY_NAME,
  CONFIG_FILE_ENV,
  CONFIG_FILE_FLAG,
  ENV_PREFIX,
  defaultConfig,
  type OptionDescriptor,
} from './options.js';
export { resolveConfig, type ConfigInputs, type ConfigFileInput, type ResolvedConfig } from './resolve.js';
export { loadConfig, loadConfigWithSources, type LoadedConfig } from './load.js';
export { renderOptionsMarkdown } from './table.js';
export { formatByteSize } from './values.js';
