/** Which unhandled rejections a clustered node survives: only etcd3's own "please report" errors. */
import { ClientRuntimeError } from 'etcd3';
import { describe, expect, it } from 'vitest';
import { isEtcd3InternalError } from '../../../src/node/etcd3-guard.js';

describe('etcd3 guard', () => {
  it("recognises etcd3's internal errors and nothing else", () => {
    expect(isEtcd3InternalError(new ClientRuntimeError('Failed to find watcher for IWatchResponse'))).toBe(true);
    expect(isEtcd3InternalError(new Error('Failed to find watcher for IWatchResponse'))).toBe(false);
    expect(isEtcd3InternalError(new Error('ECONNREFUSED'))).toBe(false);
    expect(isEtcd3InternalError('Please report this error at https://github.com/microsoft/etcd3')).toBe(false);
  });
});
