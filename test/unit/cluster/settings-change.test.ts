import { describe, expect, it } from 'vitest';
import { decodeClusterCommand, decodeClusterSnapshot, encodeClusterCommand, encodeClusterSnapshot } from '../../../src/cluster/main/codec.js';
import { reduce, reduceAll } from '../../../src/cluster/main/reducer.js';
import { EMPTY_CLUSTER_STATE, type ClusterCommand } from '../../../src/cluster/main/types.js';

const change = (settings: Record<string, string>): ClusterCommand => ({ type: 'ClusterSettingsChange', settings });

describe('ClusterSettingsChange', () => {
  it('round-trips through the codec, an empty value (reset) included', () => {
    const command = change({ logLevel: 'debug', maxMessageSize: '1MB', historyRetention: '' });
    expect(decodeClusterCommand(encodeClusterCommand(command))).toStrictEqual(command);
    expect(decodeClusterCommand(encodeClusterCommand(change({})))).toStrictEqual(change({}));
  });

  it('is folded into state.settings with the sequence number that set each value', () => {
    const state = reduceAll(EMPTY_CLUSTER_STATE, [change({ logLevel: 'debug', backpressureLimit: '10' }), change({ backpressureLimit: '20' })], 1);
    expect(state.version).toBe(2);
    expect(Object.fromEntries(state.settings!)).toEqual({
      logLevel: { value: 'debug', since: 1 },
      backpressureLimit: { value: '20', since: 2 },
    });
  });

  it('drops a setting whose value is empty: the nodes go back to their own start-up value', () => {
    const set = reduce(EMPTY_CLUSTER_STATE, change({ logLevel: 'debug', tracingLevel: 'api' }), 1);
    const reset = reduce(set, change({ logLevel: '' }), 2);
    expect([...reset.settings!.keys()]).toEqual(['tracingLevel']);
    expect(reset.settings!.get('tracingLevel')).toEqual({ value: 'api', since: 1 });
    // A reset of what was never set changes nothing but the version.
    const again = reduce(reset, change({ logLevel: '' }), 3);
    expect([...again.settings!.keys()]).toEqual(['tracingLevel']);
    expect(again.version).toBe(3);
  });

  it('folds alike whatever order the keys arrive in, and ignores a replayed sequence number', () => {
    const a = reduce(EMPTY_CLUSTER_STATE, change({ b: '2', a: '1' }), 1);
    const b = reduce(EMPTY_CLUSTER_STATE, change({ a: '1', b: '2' }), 1);
    expect([...a.settings!.keys()]).toEqual([...b.settings!.keys()]);
    expect(reduce(a, change({ a: '9' }), 1)).toBe(a);
  });

  it('survives a snapshot, so a node that joins later gets the settings', () => {
    const state = reduceAll(EMPTY_CLUSTER_STATE, [{ type: 'ClusterConfigChange', partitionCount: 2, replicationFactor: 1 }, change({ logLevel: 'warn', rebalanceDelay: '5' })], 1);
    const restored = decodeClusterSnapshot(encodeClusterSnapshot(state));
    expect(restored.version).toBe(2);
    expect(Object.fromEntries(restored.settings!)).toEqual({ logLevel: { value: 'warn', since: 2 }, rebalanceDelay: { value: '5', since: 2 } });
    // A snapshot written before settings existed decodes with none.
    const old = decodeClusterSnapshot(encodeClusterSnapshot({ ...state, settings: undefined }));
    expect(old.settings!.size).toBe(0);
  });
});
