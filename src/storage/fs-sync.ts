/** Durability of file-system operations beyond a file's own contents. */
import { open } from 'node:fs/promises';

/** Makes creations, renames and deletions in a directory durable: an fsync of the directory itself. */
export async function syncDirectory(path: string): Promise<void> {
  // Some platforms cannot open or sync a directory, and there it is
  // moot; any other failure means the rename may not survive a crash, which the caller must hear.
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EISDIR' || err.code === 'EPERM') return null;
    throw err;
  });
  if (!handle) return;
  try {
    await handle.sync().catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EINVAL' && err.code !== 'ENOTSUP' && err.code !== 'EPERM') throw err;
    });
  } finally {
    await handle.close();
  }
}
