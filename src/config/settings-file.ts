/**
 * A standalone node's runtime overrides, kept in `<dataDir>/settings.json` so that a restart
 * keeps what was changed through the system port (a cluster keeps them in its log instead).
 * Written atomically: a temporary file is synced and renamed over the old one, and the
 * directory synced, so a crash leaves either the old file or the new one, never half of one.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFileDurably } from '../storage/durable-paths.js';
import type { SettingOverride } from './runtime-settings.js';

export const SETTINGS_FILE = 'settings.json';

interface SettingsDocument {
  readonly settings: Record<string, string>;
}

/** The overrides stored in `dataDir`; none when the file does not exist. Throws for a file that is not ours to read. */
export function readSettingsFile(dataDir: string): Map<string, SettingOverride> {
  const path = join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON; fix or delete it (it holds the settings changed at run time)`);
  }
  const settings = (document as Partial<SettingsDocument> | null)?.settings;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new Error(`${path} must hold {"settings": {name: value}}; fix or delete it`);
  }
  const result = new Map<string, SettingOverride>();
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value === 'string') result.set(key, { value });
  }
  return result;
}

export function writeSettingsFile(dataDir: string, overrides: ReadonlyMap<string, SettingOverride>): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SETTINGS_FILE);
  const document: SettingsDocument = { settings: Object.fromEntries([...overrides].sort(([a], [b]) => a.localeCompare(b)).map(([k, o]) => [k, o.value])) };
  replaceFileDurably(path, `${JSON.stringify(document, null, 2)}\n`);
}
