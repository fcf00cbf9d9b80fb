/**
 * This node's registration: `nodes/<nodeId>` = JSON of who it is, bound to a lease that
 * etcd3 keeps alive. The key exists exactly while the node is alive (as far as etcd can
 * tell), which is what the controller reads to mark nodes DOWN and to decide where members go.
 *
 * The lease is the node's one lease: the controller candidacy hangs on it too, so a node
 * that etcd considers gone is also no longer controller.
 *
 * When the lease is lost (expired while the node was cut off or frozen) the node registers
 * again with a fresh lease and says so (`leaseLost`, then `registered`).
 *
 * The registration is mirrored into the cluster log: whenever the folded state does not say
 * exactly "ACTIVE, with these addresses, zone, role and version", a ClusterNodeChange is
 * appended. Checking on every state change (not only at registration) also repairs the race
 * where the controller marks the node DOWN just as it comes back.
 */
import { EventEmitter } from 'node:events';
import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from 'pino';
import { ZenError } from '../../errors.js';
import { DEFAULT_ETCD_CALL_TIMEOUT_MS, withTimeout } from '../etcd/client.js';
import { type AppendFence, type ClusterLog, FencedAppendError } from './cluster-log.js';
import type { ClusterKeys } from './keys.js';
import type { ClusterState, NodeAddresses } from './types.js';
import { monotonicNow } from '../../elapsed.js';

export interface NodeRegistration {
  readonly nodeId: number;
  readonly zone: string;
  readonly addresses: NodeAddresses;
  readonly controllerOnly: boolean;
  readonly version: string;
}

export interface MembershipOptions {
  readonly leaseTtlSeconds?: number;
  readonly callTimeoutMs?: number;
}

export interface MembershipEvents {
  /** Registered (again) under this lease. */
  registered: [leaseId: string];
  /** The lease is gone; re-registration is under way. */
  leaseLost: [err: Error];
}

export const DEFAULT_LEASE_TTL_SECONDS = 5;

export class Membership extends EventEmitter<MembershipEvents> {
  private lease: Lease | null = null;
  private currentLeaseId: string | null = null;
  /** When the keep-alive that etcd last confirmed was sent: the lease lives at least TTL past it. */
  private confirmedAt = 0;
  private firedAt: number | null = null;
  private stopped = false;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private checkTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Our `nodes/<id>` key and the revision that created it: appends are fenced on it. */
  private registration: AppendFence | null = null;
  private recovering = false;
  /** This process has seen the state call it ACTIVE (see removedWhileRunning). */
  private seenActive = false;
  readonly ttlSeconds: number;
  private readonly callTimeoutMs: number;

  constructor(
    private readonly etcd: Etcd3,
    private readonly keys: ClusterKeys,
    private readonly log: ClusterLog,
    readonly node: NodeRegistration,
    private readonly logger: Logger,
    options: MembershipOptions = {},
  ) {
    super();
    this.ttlSeconds = options.leaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;
  }

  get leaseId(): string | null {
    return this.currentLeaseId;
  }

  /** This node's registration key as an append fence (null while not registered). */
  get registrationFence(): AppendFence | null {
    return this.registration;
  }

  /**
   * True while etcd has confirmed the lease within its TTL. Anything that acts on behalf of
   * the lease (controller decisions) stops when this turns false, before etcd may have
   * expired the lease and let another node take over.
   */
  isAlive(): boolean {
    return this.lease !== null && monotonicNow() - this.confirmedAt < this.ttlSeconds * 1000;
  }

  /**
   * Registers, waiting up to one TTL (plus a margin) for a registration of this node id left
   * by a crashed predecessor to expire; a registration that stays alive longer belongs to
   * another running node with the same id, which is a configuration error.
   */
  async register(): Promise<void> {
    const deadline = monotonicNow() + this.ttlSeconds * 1000 + 2000;
    for (;;) {
      let holder: string | null;
      try {
        holder = await this.tryRegister();
      } catch (err) {
        if (monotonicNow() > deadline) throw err;
        this.logger.debug({ err }, 'node registration failed; retrying');
        await sleep(250);
        continue;
      }
      if (holder === null) break;
      if (monotonicNow() > deadline) {
        throw new ZenError(
          'ALREADY_EXISTS',
          `Node id ${this.node.nodeId} is already registered by a running node (${holder}); every node needs its own --node-id`,
        );
      }
      await sleep(250);
    }
    this.unsubscribe = this.log.onChange((state) => this.syncClusterState(state));
    this.checkTimer = setInterval(() => void this.verifyRegistration(), (this.ttlSeconds * 1000) / 2);
    this.checkTimer.unref();
    await this.syncNow();
  }

  /**
   * Stops recording this node in the cluster log (and re-registering), keeping the lease:
   * a node about to announce that it leaves must not have its ACTIVE re-appended behind it.
   */
  async stopSyncing(): Promise<void> {
    this.stopped = true;
    this.stopTimers();
    await this.syncing;
  }

  /** Stops keep-alives without revoking: the registration expires after the TTL, as after a crash. */
  close(): void {
    this.stopped = true;
    this.stopTimers();
    this.lease?.release();
    this.lease = null;
  }

  /** Revokes the lease: the registration (and the controller candidacy) disappear at once. */
  async revoke(): Promise<void> {
    this.stopped = true;
    this.stopTimers();
    const lease = this.lease;
    this.lease = null;
    if (lease) await withTimeout(lease.revoke(), this.callTimeoutMs, 'lease revoke').catch((err: unknown) => this.logger.warn({ err }, 'cannot revoke the node lease; it expires by itself'));
  }

  /** Null when registered; otherwise a description of whoever holds the registration. */
  private async tryRegister(): Promise<string | null> {
    const lease = this.etcd.lease(this.ttlSeconds);
    // The lease lives at least a TTL from when etcd granted it, which is after this moment.
    const grantedNoEarlierThan = monotonicNow();
    let leaseId: string;
    try {
      leaseId = await withTimeout(lease.grant(), this.callTimeoutMs, 'lease grant');
    } catch (err) {
      // A grant that completes after the deadline would otherwise be kept alive forever.
      void lease.revoke().catch(() => {});
      throw err;
    }
    this.confirmedAt = grantedNoEarlierThan;
    const key = this.keys.node(this.node.nodeId);
    const value = JSON.stringify(this.node);
    try {
      const result = await withTimeout(
        this.etcd
          .if(key, 'Create', '==', 0)
          .then(this.etcd.put(key).value(value).lease(leaseId))
          .else(this.etcd.get(key))
          .commit(),
        this.callTimeoutMs,
        'node registration',
      );
      if (result.succeeded) {
        this.registration = { key, createRevision: String(result.header.revision) };
      } else {
        void lease.revoke().catch(() => {});
        const kv = result.responses[0]?.response_range?.kvs?.[0];
        return kv ? `${kv.value.toString()} under lease ${kv.lease}` : 'unknown';
      }
    } catch (err) {
      void lease.revoke().catch(() => {});
      throw err;
    }
    this.adopt(lease, leaseId);
    return null;
  }

  private adopt(lease: Lease, leaseId: string): void {
    this.lease = lease;
    this.currentLeaseId = leaseId;
    lease.on('keepaliveFired', () => {
      this.firedAt ??= monotonicNow();
    });
    lease.on('keepaliveSucceeded', () => {
      this.confirmedAt = this.firedAt ?? monotonicNow();
      this.firedAt = null;
    });
    lease.on('lost', (err: Error) => {
      if (this.lease === lease) void this.handleLoss(err);
    });
    this.logger.info({ nodeId: this.node.nodeId, leaseId, ttlSeconds: this.ttlSeconds }, 'node registered');
    this.emit('registered', leaseId);
  }

  private async handleLoss(err: Error): Promise<void> {
    // The lost event, a refused append and the periodic check can all report one loss.
    if (this.stopped || this.recovering) return;
    this.recovering = true;
    try {
      await this.recover(err);
    } finally {
      this.recovering = false;
    }
  }

  private async recover(err: Error): Promise<void> {
    const old = this.lease;
    this.lease = null;
    this.currentLeaseId = null;
    this.registration = null;
    this.logger.warn({ err, nodeId: this.node.nodeId }, 'node lease lost; registering again');
    this.emit('leaseLost', err);
    // The lease may still exist in etcd (etcd3 gives up on it after 2 TTLs without contact):
    // revoking it frees the registration key for the new lease.
    if (old) await withTimeout(old.revoke(), this.callTimeoutMs, 'lease revoke').catch(() => {});
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const holder = await this.tryRegister();
        if (holder === null) {
          if (this.stopped) {
            await this.revoke();
            return;
          }
          void this.syncNow();
          return;
        }
        this.logger.warn({ holder }, 'node registration is held by another lease; retrying');
      } catch (err) {
        if (attempt % 10 === 0) this.logger.warn({ err }, 'node re-registration failed; retrying');
      }
      await sleep(Math.min(1000, 100 * (attempt + 1)));
    }
  }

  /**
   * Checks that the registration still exists under our lease, and registers again if not.
   * Runs periodically (etcd3 only reports a lost lease at its next keep-alive, or after two
   * TTLs without contact) and whenever a component sees etcd reject the lease.
   */
  async verifyRegistration(): Promise<void> {
    const lease = this.lease;
    if (this.stopped || !lease) return;
    try {
      const response = await withTimeout(this.etcd.get(this.keys.node(this.node.nodeId)).exec(), this.callTimeoutMs, 'registration check');
      const kv = response.kvs[0];
      if ((!kv || kv.lease !== this.currentLeaseId) && this.lease === lease) {
        lease.release();
        await this.handleLoss(new Error('registration key is gone'));
        return;
      }
    } catch (err) {
      this.logger.debug({ err }, 'registration check failed');
    }
    void this.syncNow();
  }

  private syncClusterState(state: ClusterState): void {
    const known = state.nodes.get(this.node.nodeId);
    if (known?.state === 'ACTIVE') this.seenActive = true;
    if (!this.matches(state)) void this.syncNow();
  }

  /**
   * Removed from the cluster (a drain's BROKER_REMOVE, ADR 017) while running: the node keeps
   * serving its clients but must not record itself ACTIVE again. A node that starts with the
   * state saying LEFT (an earlier life) does record itself, and joins as a node with nothing.
   */
  private removedWhileRunning(state: ClusterState): boolean {
    return this.seenActive && state.nodes.get(this.node.nodeId)?.state === 'LEFT';
  }

  private matches(state: ClusterState): boolean {
    const known = state.nodes.get(this.node.nodeId);
    const n = this.node;
    return (
      known !== undefined &&
      known.state === 'ACTIVE' &&
      known.zone === n.zone &&
      known.controllerOnly === n.controllerOnly &&
      known.version === n.version &&
      sameAddresses(known.addresses, n.addresses)
    );
  }

  /** Appends this node's ClusterNodeChange if the state does not already say it; one at a time. */
  private syncNow(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const run = (async () => {
      try {
        do {
          this.syncAgain = false;
          if (this.matches(this.log.state)) this.seenActive = true;
          if (this.stopped || !this.lease || this.matches(this.log.state) || this.removedWhileRunning(this.log.state)) continue;
          const n = this.node;
          const registration = this.registration;
          if (!registration) continue;
          await this.log.append({
            type: 'ClusterNodeChange',
            nodeId: n.nodeId,
            state: 'ACTIVE',
            zone: n.zone,
            addresses: n.addresses,
            controllerOnly: n.controllerOnly,
            version: n.version,
          }, [registration]);
          this.seenActive = true;
        } while (this.syncAgain);
      } catch (err) {
        if (err instanceof FencedAppendError) {
          // Our registration is gone (lease expired or revoked) though etcd3 has not said so
          // yet: claiming ACTIVE now would be false, so register again first.
          const lease = this.lease;
          if (lease && !this.stopped) {
            lease.release();
            void this.handleLoss(new Error('registration key is gone'));
          }
          return;
        }
        // The next state change or registration check tries again.
        this.logger.warn({ err }, 'cannot record this node in the cluster log');
      }
    })();
    // Cleared in a promise reaction, never inside the run: a run with nothing to append never
    // awaits, so a `finally` there would clear `syncing` before the assignment below set it,
    // leaving a settled promise that turns every later sync into a no-op (a node marked DOWN
    // would then never record itself ACTIVE again).
    const settled = run.finally(() => {
      if (this.syncing === settled) this.syncing = null;
    });
    this.syncing = settled;
    return settled;
  }

  private stopTimers(): void {
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

function sameAddresses(a: NodeAddresses, b: NodeAddresses): boolean {
  return (
    a.host === b.host &&
    a.grpcPort === b.grpcPort &&
    a.restPort === b.restPort &&
    a.systemPort === b.systemPort &&
    a.privatePort === b.privatePort
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
