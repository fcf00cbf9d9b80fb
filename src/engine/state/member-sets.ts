/**
 * Groups and roles, on partition 1 beside the users (docs/adr/014), by id: each row holds its
 * members, which are few. Both bump the shared `identityVersion`, so a node mirrors them with
 * the users in one read.
 */
import { type Journal, stringKey, Table } from './table.js';

export interface Member {
  readonly entityType: string;
  readonly entityId: string;
}

/** A group or a role as stored: Zeebe's record fields without the member, and the members. */
export interface MemberSetRow {
  readonly key: bigint;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly members: readonly Member[];
}

export function hasMember(row: MemberSetRow, entityType: string, entityId: string): boolean {
  return row.members.some((m) => m.entityType === entityType && m.entityId === entityId);
}

export class MemberSetState {
  readonly table: Table<string, MemberSetRow>;

  constructor(
    name: 'groups' | 'roles',
    journal: Journal,
    private readonly meta: Table<string, bigint | number>,
  ) {
    this.table = new Table(name, stringKey, journal);
  }

  get(id: string): MemberSetRow | undefined {
    return this.table.get(id);
  }

  all(): MemberSetRow[] {
    return [...this.table.values()];
  }

  put(row: MemberSetRow): void {
    this.table.set(row.id, row);
    this.bump();
  }

  delete(id: string): void {
    this.table.delete(id);
    this.bump();
  }

  addMember(id: string, member: Member): void {
    const row = this.table.get(id);
    if (!row || hasMember(row, member.entityType, member.entityId)) return;
    this.put({ ...row, members: [...row.members, { entityType: member.entityType, entityId: member.entityId }] });
  }

  removeMember(id: string, member: Member): void {
    const row = this.table.get(id);
    if (!row) return;
    this.put({ ...row, members: row.members.filter((m) => m.entityType !== member.entityType || m.entityId !== member.entityId) });
  }

  private bump(): void {
    this.meta.set('identityVersion', ((this.meta.get('identityVersion') as number | undefined) ?? 0) + 1);
  }
}
