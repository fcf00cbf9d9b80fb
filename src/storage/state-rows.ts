/**
 * Engine state ⇄ the checkpoint's rows. Used on the main thread by a leader (or a single
 * node) and in the storage worker by a follower, which holds its state there.
 */
import { deserialize, serialize } from 'node:v8';
import type { EngineState } from '../engine/state/engine-state.js';
import type { StateRow } from './sqlite-store.js';

/**
 * The rows changed since the last checkpoint (taking them: they are no longer tracked); with
 * `full`, every row, to replace the checkpointed state whole.
 */
export function checkpointRows(state: EngineState, full: boolean): StateRow[] {
  const rows: StateRow[] = [];
  for (const table of state.tables()) {
    const changed = table.takeDirty();
    const written = full ? table.entries() : changed;
    for (const [key, value] of written) rows.push([table.name, key, value === undefined ? null : serialize(value)]);
  }
  return rows;
}

/** Loads checkpointed rows into a state whose tables are empty. */
export function loadStateRows(state: EngineState, rows: Iterable<readonly [string, string, Uint8Array]>, path: string): void {
  const tables = new Map(state.tables().map((t) => [t.name, t]));
  for (const [cf, key, value] of rows) {
    const table = tables.get(cf);
    if (!table) throw new Error(`Unknown state table '${cf}' in ${path}`);
    table.loadRow(key, deserialize(value));
  }
}
