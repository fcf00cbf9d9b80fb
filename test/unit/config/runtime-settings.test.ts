import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPTIONS } from '../../../src/config/options.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import { RuntimeSettings, SECRET_MASK, validateSettingChanges } from '../../../src/config/runtime-settings.js';
import { readSettingsFile, SETTINGS_FILE, writeSettingsFile } from '../../../src/config/settings-file.js';

function settingsFrom(inputs: Parameters<typeof resolveConfig>[0]) {
  const warnings: string[] = [];
  const { config, sources } = resolveConfig(inputs);
  const settings = new RuntimeSettings(config, sources, { warn: (_o, msg) => warnings.push(msg ?? ''), info: () => {} });
  return { settings, warnings };
}

describe('which options can change at run time', () => {
  it('is declared on the options: log level, backpressure limit, max message size, history retention, tracing level, rebalance delay', () => {
    expect(OPTIONS.filter((o) => o.runtime).map((o) => o.name).sort()).toEqual(
      ['backpressureLimit', 'historyRetention', 'logLevel', 'maxMessageSize', 'rebalanceDelay', 'tracingLevel'].sort(),
    );
  });
});

describe('validateSettingChanges', () => {
  it('takes the option name and the flag without dashes, and keeps the canonical text', () => {
    const result = validateSettingChanges({ 'log-level': 'DEBUG', maxMessageSize: 1048576, 'history-retention': '36h', backpressureLimit: '10', rebalanceDelay: null });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.fromEntries(result.changes)).toEqual({
      logLevel: 'debug',
      maxMessageSize: '1MB',
      historyRetention: '36h',
      backpressureLimit: '10',
      rebalanceDelay: null,
    });
  });

  it('refuses all when any is bad, naming each, with the messages of start-up', () => {
    const result = validateSettingChanges({ logLevel: 'loud', partitions: 4, maxMessageSize: '1TB', clusterSecret: 'hunter2', lgoLevel: 'info', backpressureLimit: 5 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      'logLevel must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
      'partitions cannot change at run time; restart the nodes with --partitions',
      'maxMessageSize must be a whole number of bytes, optionally with a KB, MB or GB suffix (e.g. 4MB), from 1KB to 128MB, got "1TB"',
      'clusterSecret cannot change at run time; restart the nodes with --cluster-secret',
      'unknown setting "lgoLevel" (did you mean logLevel?)',
    ]);
    expect(result.problems.join(' ')).not.toContain('hunter2');
  });

  it('refuses a body that is not an object, an empty one, and one naming a setting twice', () => {
    expect(validateSettingChanges([1]).ok).toBe(false);
    expect(validateSettingChanges({}).ok).toBe(false);
    const twice = validateSettingChanges({ logLevel: 'debug', 'log-level': 'warn' });
    expect(twice.ok ? [] : twice.problems).toEqual(['logLevel is named twice (as logLevel and log-level)']);
  });
});

describe('RuntimeSettings', () => {
  it('shows every value with where it came from, secrets masked', () => {
    const { settings } = settingsFrom({
      flags: { logLevel: 'warn', clusterSecret: 's3cret' },
      env: { ZEN_MAX_MESSAGE_SIZE: '8MB' },
      file: { path: 'zen.yaml', content: { historyRetention: '1d' } },
    });
    expect(settings.view('logLevel')).toEqual({ key: 'logLevel', flag: 'log-level', value: 'warn', source: 'flag', runtimeChangeable: true });
    expect(settings.view('maxMessageSize')).toMatchObject({ value: '8MB', source: 'env' });
    expect(settings.view('historyRetention')).toMatchObject({ value: '1d', source: 'config-file' });
    expect(settings.view('backpressureLimit')).toMatchObject({ value: '2000', source: 'default' });
    expect(settings.view('clusterSecret')).toMatchObject({ value: SECRET_MASK, runtimeChangeable: false });
    expect(JSON.stringify(settings.list())).not.toContain('s3cret');
  });

  it('puts overrides in force over the start-up value, and a removed one back to it, telling listeners', () => {
    const { settings } = settingsFrom({ flags: { logLevel: 'warn' } });
    const seen: string[] = [];
    settings.onChange('logLevel', (level) => seen.push(level));
    settings.applyOverrides(new Map([['logLevel', { value: 'debug', since: 12 }]]), 'cluster');
    expect(settings.get('logLevel')).toBe('debug');
    expect(settings.view('logLevel')).toMatchObject({ value: 'debug', source: 'cluster', sequence: 12 });
    // The same state again: no second notification.
    settings.applyOverrides(new Map([['logLevel', { value: 'debug', since: 12 }]]), 'cluster');
    settings.applyOverrides(new Map(), 'cluster');
    expect(settings.view('logLevel')).toEqual({ key: 'logLevel', flag: 'log-level', value: 'warn', source: 'flag', runtimeChangeable: true });
    expect(seen).toEqual(['debug', 'warn']);
  });

  it('keeps its own value for an override it cannot read, and warns once', () => {
    const { settings, warnings } = settingsFrom({});
    const overrides = new Map([
      ['backpressureLimit', { value: 'lots', since: 3 }],
      ['someFutureSetting', { value: 'x', since: 4 }],
      ['partitions', { value: '8', since: 5 }],
    ]);
    settings.applyOverrides(overrides, 'cluster');
    settings.applyOverrides(overrides, 'cluster');
    expect(settings.get('backpressureLimit')).toBe(2000);
    expect(settings.get('partitions')).toBe(1);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('backpressureLimit');
  });
});

describe('settings.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zen-settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips the overrides and reads a missing file as none', () => {
    expect(readSettingsFile(join(dir, 'absent')).size).toBe(0);
    writeSettingsFile(dir, new Map([['maxMessageSize', { value: '1MB' }], ['logLevel', { value: 'debug' }]]));
    expect(Object.fromEntries(readSettingsFile(dir))).toEqual({ logLevel: { value: 'debug' }, maxMessageSize: { value: '1MB' } });
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).toEqual({ settings: { logLevel: 'debug', maxMessageSize: '1MB' } });
  });

  it('refuses a file that is not its shape, saying what to do', () => {
    const other = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(other, SETTINGS_FILE), '{ nope');
    expect(() => readSettingsFile(other)).toThrow(/is not valid JSON; fix or delete it/);
    writeFileSync(join(other, SETTINGS_FILE), '[]');
    expect(() => readSettingsFile(other)).toThrow(/must hold \{"settings"/);
  });
});
