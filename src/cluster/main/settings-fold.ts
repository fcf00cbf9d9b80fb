import type { ClusterSetting } from './types.js';

/**
 * The fold of a ClusterSettingsChange (reducer.ts). Keys are applied in sorted order so the
 * resulting map iterates alike on every node, whatever order the command's map was encoded in.
 */
export function foldSettings(
  current: ReadonlyMap<string, ClusterSetting> | undefined,
  changes: Readonly<Record<string, string>>,
  seq: number,
): ReadonlyMap<string, ClusterSetting> {
  const next = new Map(current ?? []);
  for (const key of Object.keys(changes).sort()) {
    const value = changes[key]!;
    if (value === '') next.delete(key);
    else next.set(key, { value, since: seq });
  }
  return next;
}
