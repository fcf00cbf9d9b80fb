import { Lease } from 'etcd3';
import { describe, expect, it, vi } from 'vitest';
import { keepLeaseTimesMonotonic } from '../../../src/cluster/etcd/lease-clock.js';

describe("etcd3 leases and steps of the wall clock", () => {
  it("the library's age of the last keep-alive counts elapsed time, whatever the wall clock does", async () => {
    keepLeaseTimesMonotonic();
    // Only the field the library's check reads; no client or stream is needed for it.
    const lease = Object.create(Lease.prototype) as { lastKeepAlive: number };
    const wall = Date.now();
    const now = vi.spyOn(Date, 'now').mockReturnValue(wall);
    try {
      lease.lastKeepAlive = Date.now();
      // Five minutes forward: the library would see a lease 300 s old and give it up.
      now.mockReturnValue(wall + 300_000);
      expect(Date.now() - lease.lastKeepAlive).toBeLessThan(1_000);
      now.mockReturnValue(wall - 300_000);
      expect(Date.now() - lease.lastKeepAlive).toBeGreaterThanOrEqual(0);
      expect(Date.now() - lease.lastKeepAlive).toBeLessThan(1_000);
      // Real time passing still counts.
      now.mockReturnValue(wall);
      await new Promise((r) => setTimeout(r, 120));
      expect(Date.now() - lease.lastKeepAlive).toBeGreaterThanOrEqual(100);
    } finally {
      now.mockRestore();
    }
  });
});
