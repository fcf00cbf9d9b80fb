/**
 * A standalone node's last requested backup id, kept in `<dataDir>/backup-request.json` (a
 * cluster keeps it in its log). Without it a node restarted while a backup was IN_PROGRESS
 * would forget the request and never finish its parts. Written like settings.json: a synced
 * temporary file renamed over the old one, then the directory synced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFileDurably } from '../storage/durable-paths.js';

export const BACKUP_REQUEST_FILE = 'backup-request.json';

interface RequestDocument {
  readonly lastBackupId: number;
}

/** The id stored in `dataDir`, 0 when there is none. Throws for a file that is not ours to read. */
export function readLastBackupRequest(dataDir: string): number {
  const path = join(dataDir, BACKUP_REQUEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as Partial<RequestDocument> | null)?.lastBackupId;
  } catch {
    id = undefined;
  }
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    throw new Error(`${path} must hold {"lastBackupId": N}; fix or delete it (it holds the last backup this node was asked to take)`);
  }
  return id;
}

export async function writeLastBackupRequest(dataDir: string, backupId: number): Promise<void> {
  const document: RequestDocument = { lastBackupId: backupId };
  replaceFileDurably(join(dataDir, BACKUP_REQUEST_FILE), `${JSON.stringify(document)}\n`);
}
