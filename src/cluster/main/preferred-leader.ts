/**
 * Which member should lead a partition, so that leaderships spread over the nodes: partition p
 * prefers the ((p - 1) mod n)-th of its n members by node id. Shared by the nodes (who hand
 * over to the preferred leader) and the change planner (who moves leaderships to the node that
 * will be preferred once the change completes, so that no second hand-over follows).
 */
export function preferredLeader(partitionId: number, memberIds: Iterable<number>): number | null {
  const members = [...memberIds].sort((a, b) => a - b);
  return members.length === 0 ? null : members[(partitionId - 1) % members.length]!;
}
