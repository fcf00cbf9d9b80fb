export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { formatPrettyLine, prettyDestination, type LineSink } from './pretty.js';
