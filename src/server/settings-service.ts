/**
 * Reading and changing the settings in force, for the system port's
 * `/actuator/cluster/configuration` (ADR 016). A cluster node writes a change into the cluster
 * log, where every node (this one included) picks it up; a standalone node puts it in force
 * itself and keeps it in its data directory.
 */
import { ZenError } from '../errors.js';
import type { MainCluster } from '../cluster/main/main-cluster.js';
import {
  RuntimeSettings,
  settingOption,
  validateSettingChanges,
  type SettingChanges,
  type SettingOverride,
  type SettingView,
} from '../config/runtime-settings.js';
import { writeSettingsFile } from '../config/settings-file.js';
import type { ConfigKey } from '../config/types.js';

export interface SettingsService {
  list(): SettingView[];
  /** One setting by option name or flag without dashes; NOT_FOUND for a key that names no option. */
  get(key: string): SettingView;
  /** Validates all, then changes all (null: back to the start-up value); answers with the changed settings in force. */
  update(body: unknown): Promise<SettingView[]>;
}

function viewOf(settings: RuntimeSettings, key: string): SettingView {
  const option = settingOption(key);
  if (!option) throw new ZenError('NOT_FOUND', `No setting named '${key}'`);
  return settings.view(option.name);
}

function checked(body: unknown): SettingChanges {
  const result = validateSettingChanges(body);
  if (!result.ok) throw new ZenError('INVALID_ARGUMENT', `Settings not changed: ${result.problems.join('; ')}`);
  return result.changes;
}

/** Standalone: the overrides live in this process and in `<dataDir>/settings.json`. */
export function standaloneSettingsService(settings: RuntimeSettings, dataDir: string, initial: ReadonlyMap<string, SettingOverride>): SettingsService {
  const overrides = new Map(initial);
  let writing: Promise<unknown> = Promise.resolve();
  return {
    list: () => settings.list(),
    get: (key) => viewOf(settings, key),
    async update(body) {
      const changes = checked(body);
      // One change at a time: two PATCHes must not interleave their file writes.
      const run = writing.then(() => {
        const next = new Map(overrides);
        for (const [key, value] of changes) {
          if (value === null) next.delete(key);
          else next.set(key, { value });
        }
        writeSettingsFile(dataDir, next);
        overrides.clear();
        for (const [k, v] of next) overrides.set(k, v);
        settings.applyOverrides(overrides, 'api');
      });
      writing = run.catch(() => {});
      await run;
      return [...changes.keys()].map((key: ConfigKey) => settings.view(key));
    },
  };
}

/** Cluster: the overrides are `state.settings` of the cluster log. */
export function clusterSettingsService(settings: RuntimeSettings, main: () => MainCluster | null): SettingsService {
  return {
    list: () => settings.list(),
    get: (key) => viewOf(settings, key),
    async update(body) {
      const changes = checked(body);
      const cluster = main();
      if (!cluster) throw new ZenError('UNAVAILABLE', 'This node has not joined the cluster yet; retry');
      const command: Record<string, string> = {};
      for (const [key, value] of changes) command[key] = value ?? '';
      await cluster.appendSettings(command);
      // Folded here already (append resolves after that); put in force now rather than wait for the listener.
      settings.applyOverrides(cluster.state.settings ?? new Map(), 'cluster');
      return [...changes.keys()].map((key: ConfigKey) => settings.view(key));
    },
  };
}
