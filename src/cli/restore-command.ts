/**
 * `zen restore --backup-id N --data-dir D` plus the store options (flags, env or the YAML file,
 * as for `zen start`): fills an empty data directory from a backup. Local: no node runs, only
 * the store is read. Each node of a restored cluster gets its own directory restored.
 */
import { Option, type Command } from 'commander';
import { isConfigError } from '../config/errors.js';
import { loadConfigWithSources } from '../config/load.js';
import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG, OPTIONS } from '../config/options.js';
import { isZenError } from '../errors.js';

/** The options of `zen start` that restore reads. */
export const RESTORE_OPTIONS = ['dataDir', 'backupStore', 'backupDir', 'backupS3Bucket', 'backupS3Endpoint', 'backupS3Region'] as const;

export interface RestoreDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export function registerRestore(program: Command, run: (flags: Record<string, unknown>) => Promise<void>): void {
  const command = program
    .command('restore')
    .description('fill an empty data directory from a backup (the same store options as the nodes; no node may run on it)')
    .addOption(new Option('--backup-id <id>', 'the backup to restore').makeOptionMandatory())
    .addOption(new Option(`${CONFIG_FILE_FLAG} <path>`, `YAML configuration file (env: ${CONFIG_FILE_ENV})`));
  for (const o of OPTIONS.filter((o) => (RESTORE_OPTIONS as readonly string[]).includes(o.name))) {
    command.addOption(new Option(`${o.flag} <${o.valueName}>`, `${o.description.replace(/\.$/, '')} (default: ${o.defaultText}, env: ${o.env})`));
  }
  command.action(async (flags: Record<string, unknown>) => run(flags));
}

/** Exit code: 0 restored, 1 refused or failed (the reason on stderr). */
export async function runRestore(flags: Readonly<Record<string, unknown>>, deps: RestoreDeps): Promise<number> {
  const { backupId: rawId, ...rest } = flags;
  // Only the options restore uses are read from the environment: a node's other settings do not matter here.
  const env = Object.fromEntries(Object.entries(deps.env).filter(([k]) => !k.startsWith('ZEN_') || k === CONFIG_FILE_ENV || OPTIONS.some((o) => o.env === k && (RESTORE_OPTIONS as readonly string[]).includes(o.name))));
  try {
    const { parseBackupId } = await import('../backup/manifest.js');
    const backupId = parseBackupId(rawId);
    const { config } = loadConfigWithSources(rest, env);
    const { openBackupStore } = await import('../backup/open-store.js');
    const store = openBackupStore(config);
    if (!store) {
      deps.stderr('zen: restore needs a backup store: --backup-store fs --backup-dir <path>, or --backup-store s3 --backup-s3-bucket <bucket>\n');
      return 1;
    }
    const { restoreBackup } = await import('../backup/restore.js');
    const marker = await restoreBackup({ store, backupId, dataDir: config.dataDir, progress: (line) => deps.stdout(`${line}\n`) });
    const at = marker.partitions.map((p) => `partition ${p.partitionId} at log index ${p.logIndex}`).join(', ');
    deps.stdout(`restored backup ${backupId} (${marker.partitionCount} partitions: ${at}) into ${config.dataDir}\n`);
    return 0;
  } catch (err) {
    if (isConfigError(err) || isZenError(err) || err instanceof Error) {
      deps.stderr(`zen: restore failed: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
