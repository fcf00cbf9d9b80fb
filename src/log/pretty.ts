import type { DestinationStream } from 'pino';

export interface LineSink {
  write(text: string): unknown;
}

/** Fields pino always writes, shown in fixed positions or not at all. */
const FIXED = new Set(['time', 'level', 'msg', 'component', 'pid', 'hostname']);

const LABELS: Readonly<Record<string, string>> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
};

const COLORS: Readonly<Record<string, string>> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[35m',
};
const RESET = '\x1b[0m';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function clock(time: unknown): string {
  const d = typeof time === 'number' || typeof time === 'string' ? new Date(time) : new Date();
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const BARE = /^[^\s"=]+$/;

function renderValue(value: unknown): string {
  if (typeof value === 'string') return value !== '' && BARE.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

interface SerializedError {
  type?: string;
  message?: string;
  stack?: string;
}

/**
 * Formats one pino JSON line as `HH:MM:SS.mmm LEVEL component msg k=v …`. An `err` field is
 * shown as its message inline and its stack on the following lines, since pretty output is
 * read by a developer who wants the stack.
 */
export function formatPrettyLine(json: string, colors = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : json + '\n';
  }
  const level = String(entry.level);
  const label = LABELS[level] ?? level.toUpperCase().padEnd(5);
  let line = `${clock(entry.time)} ${colors && COLORS[level] ? COLORS[level] + label + RESET : label}`;
  if (entry.component !== undefined) line += ` ${renderValue(entry.component)}`;
  if (entry.msg !== undefined) line += ` ${String(entry.msg)}`;
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (FIXED.has(key) || value === undefined) continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const err = value as SerializedError;
      line += ` err=${renderValue(err.message ?? err.type ?? '')}`;
      if (err.stack) stack = '\n' + err.stack.replace(/^/gm, '    ');
      continue;
    }
    line += ` ${key}=${renderValue(value)}`;
  }
  return line + stack + '\n';
}

export function prettyDestination(sink: LineSink, colors = false): DestinationStream {
  return { write: (json: string) => void sink.write(formatPrettyLine(json, colors)) };
}
