import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand } from '../../../src/cluster/private/command-codec.js';

describe('engine commands on the internal wire', () => {
  it('keep the caller’s authorized tenants, and a command without them stays without them', () => {
    const withTenants = decodeCommand(encodeCommand({ valueType: 'JOB', intent: 'COMPLETE', key: 7n, value: { variables: {} }, authorizedTenants: ['tenant-a'] }));
    expect(withTenants).toEqual({ valueType: 'JOB', intent: 'COMPLETE', key: 7n, value: { variables: {} }, authorizedTenants: ['tenant-a'] });
    const without = decodeCommand(encodeCommand({ valueType: 'JOB', intent: 'COMPLETE', key: 7n, value: {} }));
    expect('authorizedTenants' in without).toBe(false);
  });

  it('refuse authorized tenants that are not a list of ids', () => {
    const bytes = serialize({ valueType: 'JOB', intent: 'COMPLETE', key: 7n, value: {}, authorizedTenants: 'tenant-a' });
    expect(() => decodeCommand(bytes)).toThrow(/authorized tenants/);
  });
});
