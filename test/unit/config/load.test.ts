import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadConfigWithSources, renderOptionsMarkdown, OPTIONS } from '../../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'zen-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yamlFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads the YAML file named by --config and lets env and flags override it', () => {
    const path = yamlFile('a.yaml', 'grpcPort: 26600\nrestPort: 8181\nlogLevel: warn\nmaxMessageSize: 8MB\n');
    const loaded = loadConfigWithSources({ config: path, restPort: '8282' }, { ZEN_LOG_LEVEL: 'debug' });
    expect(loaded.configFile).toBe(path);
    expect(loaded.config).toMatchObject({ grpcPort: 26600, restPort: 8282, logLevel: 'debug', maxMessageSize: 8 * 1024 ** 2 });
    expect(loaded.sources).toMatchObject({ grpcPort: 'file', restPort: 'flag', logLevel: 'env', systemPort: 'default' });
  });

  it('falls back to ZEN_CONFIG, and an explicit path wins over both', () => {
    const fromEnv = yamlFile('env.yaml', 'partitions: 3\n');
    const explicit = yamlFile('explicit.yaml', 'partitions: 5\n');
    expect(loadConfig({}, { ZEN_CONFIG: fromEnv }).partitions).toBe(3);
    expect(loadConfig({ config: fromEnv }, {}, explicit).partitions).toBe(5);
  });

  it('accepts an empty file', () => {
    const path = yamlFile('empty.yaml', '# nothing set\n');
    expect(loadConfig({ config: path }, {}).grpcPort).toBe(26500);
  });

  it('fails clearly for a missing file, naming where the path came from', () => {
    const path = join(dir, 'missing.yaml');
    expect(messageOf(() => loadConfig({ config: path }, {}))).toBe(
      `Invalid configuration: cannot read config file ${path} (from flag --config): no such file`,
    );
    expect(messageOf(() => loadConfig({}, { ZEN_CONFIG: path }))).toBe(
      `Invalid configuration: cannot read config file ${path} (from env ZEN_CONFIG): no such file`,
    );
  });

  it('fails clearly for malformed YAML, with the position', () => {
    const path = yamlFile('bad.yaml', 'grpcPort: 1\n  restPort: [\n');
    const message = messageOf(() => loadConfig({ config: path }, {}));
    expect(message).toMatch(new RegExp(`^Invalid configuration: config file ${path} is not valid YAML at line \\d+, column \\d+: `));
    expect(message).not.toContain('\n');
  });

  it('fails for duplicate YAML keys', () => {
    const path = yamlFile('dup.yaml', 'grpcPort: 1\ngrpcPort: 2\n');
    expect(messageOf(() => loadConfig({ config: path }, {}))).toBe(
      `Invalid configuration: config file ${path} is not valid YAML at line 2, column 1: Map keys must be unique`,
    );
  });

  it('reports unknown keys and bad values with the file path', () => {
    const path = yamlFile('typo.yaml', 'grpcPrt: 1\nsystemPort: nine\n');
    expect(messageOf(() => loadConfig({ config: path }, {}))).toBe(
      `Invalid configuration (2 problems): unknown key grpcPrt in config file ${path} (did you mean grpcPort?); ` +
        `systemPort must be an integer from 0 to 65535, got "nine" from file ${path} (key systemPort)`,
    );
  });
});

describe('renderOptionsMarkdown', () => {
  it('has a row per option with flag, env, key and default', () => {
    const table = renderOptionsMarkdown();
    const lines = table.trim().split('\n');
    expect(lines).toHaveLength(OPTIONS.length + 3);
    expect(table).toContain('| `maxMessageSize` | `--max-message-size <size>` | `ZEN_MAX_MESSAGE_SIZE` | `4MB` |');
    expect(table).toContain('| – | `--config <path>` | `ZEN_CONFIG` | – |');
  });

  it('escapes the pipes of a value name, so every row has five cells', () => {
    const rows = renderOptionsMarkdown().trim().split('\n');
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length, row).toBe(7);
    expect(rows.find((r) => r.startsWith('| `partitionAppendGap`'))).toContain('`--partition-append-gap <ms\\|auto>`');
  });
});
