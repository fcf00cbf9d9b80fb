import { describe, expect, it } from 'vitest';
import { createLogger, formatPrettyLine } from '../../../src/log/index.js';

function collect() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the level as a label', () => {
    const { lines, destination } = collect();
    const logger = createLogger({ level: 'info', format: 'json', destination });
    logger.child({ component: 'partition-1' }).info({ batch: 12 }, 'committed');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', component: 'partition-1', batch: 12, msg: 'committed' });
    expect(typeof JSON.parse(lines[0]!).time).toBe('number');
  });

  it('drops lines below the configured level', () => {
    const { lines, destination } = collect();
    const logger = createLogger({ level: 'warn', format: 'json', destination });
    logger.info('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    logger.error('shown too');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown', 'shown too']);
    expect(logger.level).toBe('warn');
  });

  it('writes nothing when silent', () => {
    const { lines, destination } = collect();
    const logger = createLogger({ level: 'silent', format: 'pretty', destination });
    logger.fatal('nothing');
    expect(lines).toEqual([]);
  });

  it('enables trace when asked', () => {
    const { lines, destination } = collect();
    createLogger({ level: 'trace', format: 'json', destination }).trace('deep');
    expect(JSON.parse(lines[0]!).level).toBe('trace');
  });

  it('writes pretty lines as HH:MM:SS.mmm LEVEL component msg k=v', () => {
    const { lines, destination } = collect();
    const logger = createLogger({ level: 'debug', format: 'pretty', destination });
    logger.child({ component: 'partition-1' }).debug({ batch: 12, type: 'order paid', ok: true }, 'committed');
    logger.warn('no component');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} DEBUG partition-1 committed batch=12 type="order paid" ok=true\n$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  no component\n$/);
  });

  it('prints an error message inline and its stack below in pretty format', () => {
    const { lines, destination } = collect();
    const logger = createLogger({ level: 'info', format: 'pretty', destination });
    logger.error({ err: new Error('disk full') }, 'commit failed');
    const [first, ...rest] = lines[0]!.split('\n');
    expect(first).toMatch(/ ERROR commit failed err="disk full"$/);
    expect(rest[0]).toBe('    Error: disk full');
  });
});

describe('formatPrettyLine', () => {
  it('uses the local clock time of the entry and nested values as JSON', () => {
    const time = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();
    const line = formatPrettyLine(JSON.stringify({ level: 'info', time, msg: 'hi', pid: 1, hostname: 'h', ids: [1, 2] }));
    expect(line).toBe('03:04:05.006 INFO  hi ids=[1,2]\n');
  });

  it('passes through lines that are not JSON', () => {
    expect(formatPrettyLine('plain text')).toBe('plain text\n');
  });

  it('colours the level only when asked', () => {
    const entry = JSON.stringify({ level: 'error', time: 0, msg: 'x' });
    expect(formatPrettyLine(entry, true)).toContain('\x1b[31mERROR\x1b[0m');
    expect(formatPrettyLine(entry, false)).not.toContain('\x1b[');
  });
});
