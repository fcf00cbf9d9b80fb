/**
 * Making a database's place on disk durable: its file and the directory entries that lead to it.
 * An fsync of a file makes its content durable, not its name; the name is durable once the
 * directory holding it was synced (and that directory's own name once its parent was).
 * Synchronous for the store (its own worker thread); `syncDirectoryAsync` for the main thread.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Codes with which a platform says it cannot open or sync a directory: there it is moot. */
const OPEN_DIR_UNSUPPORTED = new Set(['EISDIR', 'EPERM']);
const SYNC_DIR_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EPERM']);

/**
 * Syncs a file's content. Never on a file SQLite has open in this process: closing any
 * descriptor of a file drops every POSIX lock the process holds on it, SQLite's included.
 */
export function syncFileIfExists(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Syncs a directory's entries; any failure other than "not possible here" is thrown. */
export function syncDirectory(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (OPEN_DIR_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!SYNC_DIR_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Syncs the directory holding `file`, and, when `firstCreated` (what mkdirSync with `recursive`
 * returned) says which directories on the way were created just now, the parent of each of
 * them, innermost first.
 */
export function syncPathTo(file: string, firstCreated: string | undefined): void {
  let dir = dirname(resolve(file));
  syncDirectory(dir);
  if (firstCreated === undefined) return;
  const stop = dirname(resolve(firstCreated));
  while (dir !== stop) {
    const parent = dirname(dir);
    if (parent === dir) return; // firstCreated was not on the way: nothing more was created here
    syncDirectory(parent);
    dir = parent;
  }
}

/** `syncDirectory` without blocking the event loop (snapshot transfer and install on the main thread). */
export async function syncDirectoryAsync(path: string): Promise<void> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    if (OPEN_DIR_UNSUPPORTED.has(err.code ?? '')) return null;
    throw err;
  });
  if (!handle) return;
  try {
    await handle.sync().catch((err: NodeJS.ErrnoException) => {
      if (!SYNC_DIR_UNSUPPORTED.has(err.code ?? '')) throw err;
    });
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a small file so that a crash leaves the old content or the new, never half of it:
 * a synced temporary file renamed over the old one, then the directory synced.
 */
export function replaceFileDurably(path: string, text: string, mode = 0o600): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}
