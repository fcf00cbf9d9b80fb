import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogFormat, LogLevel } from '../config/types.js';
import { prettyDestination, type LineSink } from './pretty.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Where lines go; stdout when absent. Tests pass a collector. */
  readonly destination?: LineSink;
  /** Colour the level in pretty output; defaults to whether stdout is a TTY. */
  readonly colors?: boolean;
}

/**
 * The node's root logger. Components take a child: `logger.child({ component: 'partition-1' })`.
 * Levels are written as labels ("info"), not pino's numbers, because log collectors and people
 * read them without a mapping table.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (options.format === 'pretty') {
    // Synchronous so lines written just before process.exit are not lost; pretty is for humans, not throughput.
    const sink = options.destination ?? pino.destination({ dest: 1, sync: true });
    const colors = options.colors ?? (options.destination === undefined && process.stdout.isTTY === true);
    return pino(settings, prettyDestination(sink, colors));
  }
  const destination: DestinationStream = options.destination
    ? { write: (line: string) => void options.destination!.write(line) }
    : pino.destination({ dest: 1, sync: false });
  return pino(settings, destination);
}
