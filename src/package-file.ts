import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file shipped at the package root (`proto/…`), found by walking up from this module: it
 * runs from src/ (tests) or dist/ (built), so the depth is not fixed.
 */
export function findPackageFile(relativePath: string): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; ) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find ${relativePath} above ${start}`);
    dir = parent;
  }
}
