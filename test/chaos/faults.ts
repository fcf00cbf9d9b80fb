/**
 * How each fault kind is injected into a ChaosCluster and healed, and the log of what was
 * applied. Healing always ends with the victim back: a killed process restarted, a paused one
 * continued, proxies open, the ballast gone, the clock on system time. A node that died of a
 * fault that should not kill it (disk full, a partition, a clock jump) is restarted too, and
 * the death is recorded as an incident for the report.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ChaosCluster } from './chaos-cluster.js';
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
