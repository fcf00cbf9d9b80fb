import { readFileSync } from 'node:fs';
import { findPackageFile } from './package-file.js';

let cached: string | undefined;

/** The package version, from the package.json above this module (src/ or dist/). */
export function zenVersion(): string {
  cached ??= (JSON.parse(readFileSync(findPackageFile('package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
