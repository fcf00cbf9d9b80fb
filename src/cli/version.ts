import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version; src/cli and dist/cli both sit two levels below package.json. */
export function zenVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  return cached;
}
