import { defineConfig } from 'vitest/config';

// Cluster tests start real etcd members and `zen start` processes; two at once on a small CI
// machine starve each other's leases and timers. They run one file at a time, after the rest.
const shared = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'unit-and-server', include: ['test/**/*.test.ts'], exclude: ['test/cluster/**'], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'cluster', include: ['test/cluster/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
    // The etcd client library's own "please report" errors from inside a watch stream: a node
    // logs and ignores them (src/node/etcd3-guard.ts), and so do in-process cluster tests.
    onUnhandledError: (error) => !String(error?.message ?? '').endsWith('Please report this error at https://github.com/microsoft/etcd3'),
  },
});
