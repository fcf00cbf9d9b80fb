/**
 * etcd3 (the client library) gives up a lease whose keep-alive stream broke when
 * `Date.now() - lease.lastKeepAlive` exceeds twice its TTL. Both readings are wall-clock, so a
 * step of this node's clock (NTP, `date -s`) between a keep-alive and a reconnect makes a live
 * lease look minutes old, and the node drops its registration and every leadership with it —
 * the chaos suite's node-clock-jump found exactly that. `lastKeepAlive` is therefore kept on
 * the monotonic clock: the library writes wall-clock times into it and reads back a wall-clock
 * time that lies as far in the past as the monotonic clock says. The library is not otherwise
 * changed; this is its only use of the field (etcd3 1.1, lib/lease.js).
 */
import { Lease } from 'etcd3';
import { monotonicNow } from '../../elapsed.js';

const KEPT_AT = Symbol('lastKeepAliveMonotonic');

type Kept = { [KEPT_AT]?: number };

let installed = false;

export function keepLeaseTimesMonotonic(): void {
  if (installed) return;
  installed = true;
  Object.defineProperty(Lease.prototype, 'lastKeepAlive', {
    configurable: true,
    get(this: Kept): number | undefined {
      const at = this[KEPT_AT];
      return at === undefined ? undefined : Date.now() - (monotonicNow() - at);
    },
    set(this: Kept, _wallClock: number) {
      this[KEPT_AT] = monotonicNow();
    },
  });
}
