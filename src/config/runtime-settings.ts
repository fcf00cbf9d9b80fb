/**
 * The node's settings in force: every option's value, where it came from, and — for the
 * options declared `runtime` in options.ts — listeners told when a change takes effect.
 *
 * A value changed at run time is an override on top of the start-up configuration: in a
 * cluster the overrides are `state.settings` of the cluster log (source `cluster`, with the
 * sequence number that set them), on a standalone node they are the ones the node persisted
 * in its data directory (source `api`). Removing an override brings back the node's own
 * start-up value and its source (flag, env, config file or default).
 */
import { OPTIONS, OPTIONS_BY_NAME, toKebab, type OptionDescriptor } from './options.js';
import { didYouMean } from './suggest.js';
import type { ConfigKey, ConfigSource, ZenConfig } from './types.js';
import { showValue } from './values.js';

/** Where a value in force came from; `config-file` is resolve.ts's `file`. */
export type SettingSource = 'default' | 'config-file' | 'env' | 'flag' | 'cluster' | 'api';

export const SECRET_MASK = '***';

export interface SettingView {
  /** The option name (`logLevel`). */
  readonly key: ConfigKey;
  /** The flag without dashes (`log-level`), also accepted as a key. */
  readonly flag: string;
  /** As a user would write it; `***` for a secret that is set. */
  readonly value: string;
  readonly source: SettingSource;
  readonly runtimeChangeable: boolean;
  /** Cluster-log sequence number of the change in force (source `cluster` only). */
  readonly sequence?: number;
}

/** One override: its text, as stored in the cluster log or settings.json. */
export interface SettingOverride {
  readonly value: string;
  /** Cluster-log sequence number that set it; absent on a standalone node. */
  readonly since?: number;
}

export type SettingChanges = ReadonlyMap<ConfigKey, string | null>;

export type ValidationResult = { readonly ok: true; readonly changes: SettingChanges } | { readonly ok: false; readonly problems: readonly string[] };

type Listener<K extends ConfigKey> = (value: ZenConfig[K]) => void;

const BY_FLAG: ReadonlyMap<string, OptionDescriptor> = new Map(OPTIONS.map((o) => [toKebab(o.name), o as OptionDescriptor]));

/** The option a key names: the option name (`logLevel`) or the flag without dashes (`log-level`). */
export function settingOption(key: string): OptionDescriptor | undefined {
  return OPTIONS_BY_NAME.get(key) ?? BY_FLAG.get(key);
}

export function isRuntimeKey(key: string): boolean {
  return settingOption(key)?.runtime === true;
}

export function formatSetting(option: OptionDescriptor, value: unknown): string {
  if (option.secret) return value === '' ? '' : SECRET_MASK;
  if (option.format) return option.format(value as never);
  if (Array.isArray(value)) return value.map((v) => (Array.isArray(v) ? v.join(',') : String(v))).join(option.name === 'partitionEtcdEndpoints' ? ';' : ',');
  return String(value);
}

function unknownKey(key: string): string {
  const names = OPTIONS.filter((o) => o.runtime).map((o) => o.name as string);
  return `unknown setting ${showValue(key)}${didYouMean(key, names)}`;
}

function staticKey(option: OptionDescriptor): string {
  return `${option.name} cannot change at run time; restart the nodes with ${option.flag}`;
}

/**
 * Checks a change request (key → value, null = back to the start-up value) all at once:
 * every bad key is named, and nothing is changed unless all are good. Values are parsed by
 * the option's own parser, so the messages are those of start-up; the changes carry the
 * canonical text (`4MB`, `7d`) under the option name.
 */
export function validateSettingChanges(input: unknown): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: ['the body must be a JSON object of setting names to values (null resets one)'] };
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length === 0) return { ok: false, problems: ['the body names no setting'] };
  const problems: string[] = [];
  const changes = new Map<ConfigKey, string | null>();
  for (const [key, raw] of entries) {
    const option = settingOption(key);
    if (!option) {
      problems.push(unknownKey(key));
      continue;
    }
    if (!option.runtime) {
      problems.push(staticKey(option));
      continue;
    }
    if (changes.has(option.name)) {
      problems.push(`${option.name} is named twice (as ${option.name} and ${option.flag.slice(2)})`);
      continue;
    }
    if (raw === null) {
      changes.set(option.name, null);
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      problems.push(`${option.name} must be given as a string or a number, got ${showValue(raw)}`);
      continue;
    }
    const parsed = option.parse(raw);
    if (!parsed.ok) {
      problems.push(`${option.name} ${parsed.rule}, got ${option.secret ? 'a value (not shown)' : showValue(raw)}`);
      continue;
    }
    changes.set(option.name, formatSetting(option, parsed.value));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, changes };
}

export interface RuntimeSettingsLogger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

export class RuntimeSettings {
  private readonly live: Record<string, unknown>;
  private readonly sources = new Map<ConfigKey, SettingSource>();
  private readonly sequences = new Map<ConfigKey, number>();
  private readonly listeners = new Map<ConfigKey, Set<Listener<ConfigKey>>>();
  /** Overrides that could not be applied, already warned about (by key and text). */
  private readonly refused = new Set<string>();

  constructor(
    private readonly startConfig: ZenConfig,
    private readonly startSources: Readonly<Partial<Record<ConfigKey, ConfigSource>>>,
    private readonly logger?: RuntimeSettingsLogger,
  ) {
    this.live = { ...startConfig };
    for (const option of OPTIONS) this.sources.set(option.name, startSourceOf(startSources[option.name]));
  }

  /** The value in force. */
  get<K extends ConfigKey>(key: K): ZenConfig[K] {
    return this.live[key] as ZenConfig[K];
  }

  /** Called with the new value whenever it changes (not at subscription). */
  onChange<K extends ConfigKey>(key: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener as Listener<ConfigKey>);
    return () => set.delete(listener as Listener<ConfigKey>);
  }

  view(key: ConfigKey): SettingView {
    const option = OPTIONS_BY_NAME.get(key)!;
    const source = this.sources.get(key)!;
    const sequence = this.sequences.get(key);
    return {
      key,
      flag: option.flag.slice(2),
      value: formatSetting(option, this.live[key]),
      source,
      runtimeChangeable: option.runtime === true,
      ...(sequence !== undefined ? { sequence } : {}),
    };
  }

  list(): SettingView[] {
    return OPTIONS.map((o) => this.view(o.name));
  }

  /**
   * Puts the given overrides in force and every other runtime setting back to its start-up
   * value. An override this node cannot read (a key a newer version knows, a value its parser
   * refuses) is skipped with a warning: the node keeps its own value rather than stopping.
   */
  applyOverrides(overrides: ReadonlyMap<string, SettingOverride>, source: 'cluster' | 'api'): void {
    for (const option of OPTIONS as readonly OptionDescriptor[]) {
      if (!option.runtime) continue;
      const override = overrides.get(option.name);
      let value: unknown = this.startConfig[option.name];
      let from: SettingSource = startSourceOf(this.startSources[option.name]);
      let since: number | undefined;
      if (override) {
        const parsed = option.parse(override.value);
        if (parsed.ok) {
          value = parsed.value;
          from = source;
          since = override.since;
        } else {
          this.warnOnce(`${option.name}=${override.value}`, { setting: option.name, value: override.value }, `ignoring the ${source} value of ${option.name}: it ${parsed.rule}`);
        }
      }
      this.set(option.name, value, from, from === 'cluster' ? since : undefined);
    }
    for (const key of overrides.keys()) {
      if (!isRuntimeKey(key) || OPTIONS_BY_NAME.get(key) === undefined) {
        this.warnOnce(`key:${key}`, { setting: key }, `ignoring the ${source} setting ${key}: this node cannot change it at run time`);
      }
    }
  }

  private set(key: ConfigKey, value: unknown, source: SettingSource, since: number | undefined): void {
    const changed = !sameValue(this.live[key], value);
    this.live[key] = value;
    this.sources.set(key, source);
    if (since === undefined) this.sequences.delete(key);
    else this.sequences.set(key, since);
    if (!changed) return;
    this.logger?.info({ setting: key, value: formatSetting(OPTIONS_BY_NAME.get(key)!, value), source }, 'setting changed');
    for (const listener of this.listeners.get(key) ?? []) {
      try {
        listener(value as ZenConfig[ConfigKey]);
      } catch (err) {
        this.logger?.warn({ err, setting: key }, 'applying a setting failed');
      }
    }
  }

  private warnOnce(id: string, obj: object, message: string): void {
    if (this.refused.has(id)) return;
    this.refused.add(id);
    this.logger?.warn(obj, message);
  }
}

function startSourceOf(source: ConfigSource | undefined): SettingSource {
  if (source === 'file') return 'config-file';
  return source ?? 'default';
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
