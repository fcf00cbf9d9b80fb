/**
 * Letting the work finish once the faults are healed: workers keep running until every
 * acknowledged instance completed, or the time is up.
 *
 * A run that jumped the engine clock, or a node's own wall clock forward, leaves work dated
 * minutes ahead: timers created while the clock stood pinned (or by a leader whose clock ran
 * ahead) are due at that time plus their duration, and jobs activated then time out only that
 * much later, so a completion lost in a fault keeps its job locked. A sweep moves the engine
 * clock 10 minutes past now (node clocks jump at most that far ahead), holds it there while the
 * partitions fire what is due, and puts it back. One sweep is not always enough: what fires
 * during a sweep (a job activated under the pinned clock) is dated ahead again, and a loaded
 * machine may not fire everything in the few seconds the pin holds. So sweeps repeat while
 * work is left, each confirmed by the cluster (204 from some node), and every sweep is reported.
 */
import type { ChaosCluster } from './chaos-cluster.js';
import { activeAcknowledged, instanceStatesByNode } from './checker.js';
import type { Operation } from './operations.js';

const SWEEP_EVERY_MS = 15_000;
const SWEEP_HOLD_MS = 4_000;
const SWEEP_AHEAD_MS = 10 * 60_000;

export interface QuiesceResult {
  /** Acknowledged instances still not COMPLETED when quiescing ended (`tag:key:state`). */
  readonly active: string[];
  /** One line per clock sweep: when, and through which node the pin and reset landed. */
  readonly sweeps: string[];
  /** For the first still-active instances: the state each answering node's search shows. */
  readonly views: string[];
}

export async function quiesce(
  cluster: ChaosCluster,
  operations: () => readonly Operation[],
  options: { readonly clockJumped: boolean; readonly timeoutMs: number; readonly runStartedAt: number },
): Promise<QuiesceResult> {
  const until = Date.now() + options.timeoutMs;
  const sweeps: string[] = [];
  let lastSweep = 0;
  let active: string[] = [];
  for (;;) {
    if (options.clockJumped && Date.now() - lastSweep >= SWEEP_EVERY_MS) {
      sweeps.push(await sweepClock(cluster, options.runStartedAt));
      lastSweep = Date.now();
    }
    try {
      active = await activeAcknowledged(cluster, cluster.answeringNodes()[0]!, operations());
    } catch (err) {
      active = [`search failed: ${String((err as Error).message).slice(0, 200)}`];
    }
    if (active.length === 0 || Date.now() > until) break;
    await sleep(1_000);
  }
  return { active, sweeps, views: active.length ? await viewsOf(cluster, active.slice(0, 10)) : [] };
}

/** Pins the clock SWEEP_AHEAD_MS past now, holds it, resets it; says what happened. */
async function sweepClock(cluster: ChaosCluster, runStartedAt: number): Promise<string> {
  const at = ((Date.now() - runStartedAt) / 1000).toFixed(1);
  const pinnedVia = await confirmed(cluster, 'PUT', '/clock', { timestamp: Date.now() + SWEEP_AHEAD_MS });
  if (pinnedVia !== null) await sleep(SWEEP_HOLD_MS);
  // Reset even when the pin looked refused: its answer may have been lost after it landed.
  const resetVia = await confirmed(cluster, 'POST', '/clock/reset');
  return `${at} s: pinned ${pinnedVia === null ? 'NOT confirmed' : `via node ${pinnedVia}`}, reset ${resetVia === null ? 'NOT confirmed' : `via node ${resetVia}`}`;
}

/** Tries the answering nodes in turn for up to 30 s; the node that answered 204, or null. */
async function confirmed(cluster: ChaosCluster, method: string, path: string, body?: unknown): Promise<number | null> {
  const until = Date.now() + 30_000;
  for (let i = 0; Date.now() < until; i++) {
    const nodes = cluster.answeringNodes();
    const via = nodes[i % Math.max(1, nodes.length)];
    if (via !== undefined) {
      const response = await cluster.restRequest(via, method, path, body).catch(() => null);
      if (response?.status === 204) return via;
    }
    await sleep(500);
  }
  return null;
}

/** Whether the nodes agree an instance is unfinished (a lagging replica's search would not). */
async function viewsOf(cluster: ChaosCluster, active: readonly string[]): Promise<string[]> {
  const byNode = await instanceStatesByNode(cluster);
  return active.map((entry) => {
    const key = entry.split(':')[1] ?? '';
    return `${entry} — ${[...byNode].map(([nodeId, states]) => `node ${nodeId}: ${states instanceof Error ? `search failed (${states.message.slice(0, 80)})` : (states.get(key) ?? 'missing')}`).join(', ')}`;
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
