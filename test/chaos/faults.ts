/**
 * How each fault kind is injected into a ChaosCluster and healed, and the log of what was
 * applied. Healing always ends with the victim back: a killed process restarted, a paused one
 * continued, proxies open, the ballast gone, the engine clock on system time, the node's own
 * wall clock back on the real time. A node that died of a fault that should not kill it (disk
 * full, a partition, a clock jump) is restarted too, and the death is recorded as an incident
 * for the report.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { rolesOf } from '../support/cluster-process.js';
import type { ChaosCluster } from './chaos-cluster.js';
import { offsetText } from './node-clock.js';
import type { PlannedFault } from './schedule.js';

export interface AppliedFault {
  readonly planned: PlannedFault;
  /** ms since the run started. */
  readonly at: number;
  readonly healedAt: number;
  /** What went differently from the plan (e.g. the node exited on its own). */
  readonly notes: string[];
}

export interface Incident {
  readonly at: number;
  readonly what: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FaultInjector {
  readonly applied: AppliedFault[] = [];
  readonly incidents: Incident[] = [];

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly runStartedAt: number,
  ) {}

  /** Injects `fault`, waits its duration, heals it. */
  async apply(fault: PlannedFault): Promise<AppliedFault> {
    const at = Date.now() - this.runStartedAt;
    const notes: string[] = [];
    const heal = await this.inject(fault, notes);
    await sleep(fault.durationMs);
    await heal();
    await this.reviveDeadNodes(notes, `after ${fault.kind} of ${fault.lane} ${fault.victim}`);
    const applied = { planned: fault, at, healedAt: Date.now() - this.runStartedAt, notes };
    this.applied.push(applied);
    return applied;
  }

  /** Restarts every node whose process ended without the schedule killing it. */
  async reviveDeadNodes(notes: string[], when: string): Promise<void> {
    for (const nodeId of this.cluster.nodeIds) {
      if (this.cluster.down.has(nodeId)) continue;
      const node = this.cluster.zen.nodes.get(nodeId);
      if (!node || node.server.running) continue;
      const tail = node.server.logs().slice(-3).map((l) => `${String(l.level)} ${String(l.msg)}${l.err ? ` ${JSON.stringify(l.err).slice(0, 300)}` : ''}`);
      const what = `node ${nodeId} had exited ${when}; last log lines: ${tail.join(' | ')}`;
      this.incidents.push({ at: Date.now() - this.runStartedAt, what });
      notes.push(`node ${nodeId} exited on its own; restarted`);
      await this.restartNode(nodeId, notes);
    }
  }

  private async inject(fault: PlannedFault, notes: string[]): Promise<() => Promise<void>> {
    const c = this.cluster;
    const victim = fault.victim;
    switch (fault.kind) {
      case 'node-kill': {
        c.down.add(victim);
        await c.zen.kill9(victim);
        return () => this.restartNode(victim, notes);
      }
      case 'node-pause': {
        if (!c.zen.node(victim).server.running) return async () => void notes.push('node was not running');
        c.zen.freeze(victim);
        c.frozen.add(victim);
        return async () => {
          c.frozen.delete(victim);
          if (c.zen.node(victim).server.running) c.zen.thaw(victim);
        };
      }
      case 'partition': {
        c.isolate(victim);
        return async () => c.rejoin(victim);
      }
      case 'disk-full': {
        const dir = c.tmpfsMounted;
        if (!dir) return async () => void notes.push('no tmpfs: nothing filled');
        const ballast = join(dir, 'chaos-ballast');
        const written = fillDisk(ballast);
        notes.push(`ballast ${Math.round(written / 1024 / 1024)} MiB`);
        return async () => rmSync(ballast, { force: true });
      }
      case 'clock-jump': {
        const to = Date.now() + (fault.jumpMs ?? 60_000);
        const pinned = await this.clockCall(victim, 'PUT', '/clock', { timestamp: to }, notes);
        if (!pinned) notes.push('the pin was not confirmed');
        // Reset even when the pin looked refused: its answer may have been lost after it landed.
        return async () => {
          const until = Date.now() + 20_000;
          for (let i = 0; Date.now() < until; i++) {
            const nodes = c.answeringNodes();
            const via = nodes.includes(victim) ? victim : nodes[i % Math.max(1, nodes.length)];
            if (via !== undefined && (await this.clockCall(via, 'POST', '/clock/reset', undefined, notes))) return;
            await sleep(500);
          }
          this.incidents.push({ at: Date.now() - this.runStartedAt, what: 'the engine clock could not be reset within 20 s' });
        };
      }
      case 'node-clock-jump': {
        // The node's own wall clock (libfaketime), not the engine clock: skew against etcd and its peers.
        if (!c.nodeClocks) return async () => void notes.push('the nodes run without libfaketime: nothing moved');
        const offsetMs = fault.offsetMs ?? 0;
        // What the victim led, before and after: a node that trusts its wall clock for a lease may give leadership up.
        const ledBefore = await this.partitionsLedBy(victim);
        c.setNodeClock(victim, offsetMs);
        notes.push(await this.nodeClockSeen(victim, offsetMs));
        return async () => {
          c.setNodeClock(victim, 0);
          notes.push(await this.nodeClockSeen(victim, 0));
          await sleep(1_000); // a leadership given up as the clock came back is announced by then
          notes.push(`node ${victim} led ${ledBefore} before the jump, ${await this.partitionsLedBy(victim)} after`);
        };
      }
      case 'etcd-kill': {
        c.zen.etcd.kill9(victim);
        return async () => {
          await sleep(200);
          await c.zen.etcd.restart(victim);
        };
      }
      case 'etcd-pause': {
        c.zen.etcd.freeze(victim);
        return async () => c.zen.etcd.thaw(victim);
      }
    }
  }

  /**
   * Waits (up to 8 s) until node `nodeId`'s HTTP `Date` header shows its clock `offsetMs` off
   * the real time — the header has whole seconds and Node refreshes it once a second, so it
   * lags by up to 2 s, which the jumps (30 s and more) dwarf — and says when it did.
   */
  private async nodeClockSeen(nodeId: number, offsetMs: number): Promise<string> {
    const started = Date.now();
    let last = 'no answer';
    while (Date.now() - started < 8_000) {
      try {
        const response = await this.cluster.restRequest(nodeId, 'GET', '/topology', undefined, 2_000);
        await response.arrayBuffer();
        const shown = Date.parse(response.headers.get('date') ?? '');
        const off = shown - Date.now();
        last = Number.isNaN(shown) ? 'no Date header' : `its Date header ${Math.round(off / 1000)} s off`;
        if (Math.abs(off - offsetMs) < 2_500) return `clock ${offsetText(offsetMs)} s seen by node ${nodeId} after ${((Date.now() - started) / 1000).toFixed(1)} s`;
      } catch (err) {
        last = String((err as Error).message).slice(0, 80);
      }
      await sleep(200);
    }
    return `clock ${offsetText(offsetMs)} s NOT seen by node ${nodeId} within 8 s (${last})`;
  }

  /** The partitions node `nodeId` leads as the topology through it says ("p1,p3", "none", "?" without an answer in 3 s). */
  private async partitionsLedBy(nodeId: number): Promise<string> {
    try {
      const topology = await Promise.race([this.cluster.zen.topology(nodeId), sleep(3_000).then(() => null)]);
      if (!topology) return '?';
      const led = [...rolesOf(topology)].filter(([, roles]) => roles.leaders.includes(nodeId)).map(([partitionId]) => `p${partitionId}`);
      return led.join(',') || 'none';
    } catch {
      return '?';
    }
  }

  private async clockCall(via: number, method: string, path: string, body: unknown, notes: string[]): Promise<boolean> {
    try {
      const response = await this.cluster.restRequest(via, method, path, body, 5_000);
      if (response.status === 204) return true;
      notes.push(`${method} ${path} via node ${via}: HTTP ${response.status}`);
    } catch (err) {
      notes.push(`${method} ${path} via node ${via}: ${String((err as Error).message).slice(0, 100)}`);
    }
    return false;
  }

  private async restartNode(nodeId: number, notes: string[]): Promise<void> {
    const c = this.cluster;
    c.down.add(nodeId);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const server = c.zen.node(nodeId).server;
          if (server.running) await server.kill9();
          await c.zen.restart(nodeId);
          return;
        } catch (err) {
          notes.push(`restart ${attempt} of node ${nodeId} failed: ${String((err as Error).message).split('\n')[0]!.slice(0, 200)}`);
          if (attempt >= 5) {
            this.incidents.push({ at: Date.now() - this.runStartedAt, what: `node ${nodeId} did not start again after 5 attempts` });
            return;
          }
          await sleep(1_000);
        }
      }
    } finally {
      c.down.delete(nodeId);
    }
  }
}

/** Writes `path` until the file system is full; returns the bytes written. */
function fillDisk(path: string): number {
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw err;
      }
    }
    // The last partial megabyte too: nothing is left for the node.
    for (let size = 64 * 1024; size >= 512; size /= 2) {
      try {
        for (;;) written += writeSync(fd, chunk, 0, size);
      } catch {
        // full at this size; try a smaller one
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
