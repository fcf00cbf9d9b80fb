import { defineConfig } from 'vitest/config';

// The long chaos run only (npm run chaos); the short one is test/cluster/system-chaos.test.ts.
export default defineConfig({
  test: {
    include: ['test/chaos/long-run.chaos.ts'],
    pool: 'forks',
    hookTimeout: 120_000,
    // See vitest.config.ts: the etcd client's own "please report" errors are logged and ignored.
    onUnhandledError: (error) => !String(error?.message ?? '').endsWith('Please report this error at https://github.com/microsoft/etcd3'),
  },
});
