/**
 * Start-up refusals: a data directory belongs to one running node and to one partition
 * count. Both are checked before any port serves, with one clear line and exit code 1.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ZenServer } from '../support/server-process.js';

function startAgain(dataDir: string, ...args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZEN_')));
  return spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'bin/zen.js'), 'start', '--data-dir', dataDir, '--host', '127.0.0.1', '--grpc-port', '0', '--rest-port', '0', '--system-port', '0', ...args],
    { env, encoding: 'utf8', timeout: 20_000 },
  );
}

describe('zen start refuses a data directory it must not use', () => {
  let server: ZenServer;

  beforeAll(async () => {
    server = await ZenServer.start();
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('while another node runs on it', () => {
    const result = startAgain(server.dataDir);
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/in use by another process/);
  });

  it('with a different partition count than its data was created with', async () => {
    await server.stop();
    const result = startAgain(server.dataDir, '--partitions', '3');
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/partition count of existing data cannot change/);
  });
});
