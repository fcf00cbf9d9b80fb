/** Reading etcd's space figures from its Prometheus text. */
import { describe, expect, it } from 'vitest';
import { parseSpaceMetrics, parseStatus } from '../../../src/cluster/etcd/space-monitor.js';

const page = (lines: string[]) => ['# HELP etcd_debugging_x a', 'etcd_debugging_mvcc_db_total_size_in_bytes 1', ...lines, 'go_goroutines 41'].join('\n');

describe('etcd space metrics', () => {
  it('reads the file size, the part in use, the quota and leadership, and no look-alike line', () => {
    const text = page([
      'etcd_mvcc_db_total_size_in_bytes 2.4576e+07',
      'etcd_mvcc_db_total_size_in_use_in_bytes 1.2288e+07',
      'etcd_server_quota_backend_bytes 6.7108864e+07',
      'etcd_server_is_leader 1',
    ]);
    expect(parseSpaceMetrics(text)).toEqual({ dbBytes: 24_576_000, inUseBytes: 12_288_000, quotaBytes: 67_108_864, isLeader: true });
  });

  it('takes a figure on the first line and one without a newline after it', () => {
    expect(parseSpaceMetrics('etcd_mvcc_db_total_size_in_bytes 10\netcd_server_quota_backend_bytes 20')).toEqual({ dbBytes: 10, inUseBytes: 10, quotaBytes: 20, isLeader: false });
  });

  it('is null when the size or the quota is missing', () => {
    expect(parseSpaceMetrics(page(['etcd_server_quota_backend_bytes 20']))).toBeNull();
    expect(parseSpaceMetrics(page(['etcd_mvcc_db_total_size_in_bytes 10']))).toBeNull();
  });
});

describe('etcd member status', () => {
  // As etcd 3.4's JSON gateway answers POST /v3/maintenance/status: 64-bit numbers as strings.
  const status = { header: { cluster_id: '1', member_id: '10276657743932975437', revision: '9', raft_term: '2' }, version: '3.4.23', dbSize: '24576000', leader: '10276657743932975437', raftIndex: '4', dbSizeInUse: '12288000' };

  it('reads the sizes and whether the member leads', () => {
    expect(parseStatus(status)).toEqual({ dbBytes: 24_576_000, inUseBytes: 12_288_000, isLeader: true });
    expect(parseStatus({ ...status, leader: '42' })).toMatchObject({ isLeader: false });
  });

  it('takes the file size as in use when the member does not say, and is null without a size', () => {
    const { dbSizeInUse: _, ...older } = status;
    expect(parseStatus(older)).toMatchObject({ dbBytes: 24_576_000, inUseBytes: 24_576_000 });
    expect(parseStatus({ ...status, dbSize: undefined })).toBeNull();
    expect(parseStatus({ ...status, dbSize: 'x' })).toBeNull();
    expect(parseStatus(null)).toBeNull();
  });
});
