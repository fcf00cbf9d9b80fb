/**
 * The tenants as resources (docs/adr/013), on partition 1 beside the users, by tenant id. A row
 * holds its members by entity type. The default tenant always exists: until something changes
 * it, it is not stored and reads as `defaultTenantRow()`. Every change bumps the
 * `identityVersion` the users and authorizations share, so a node mirrors all three with one read.
 */
import type { TenantEntityType, TenantValue } from '../records.js';
import { DEFAULT_TENANT } from '../tenants.js';
import { type Journal, stringKey, Table } from './table.js';

export const TENANT_ENTITY_TYPES: readonly TenantEntityType[] = ['USER', 'CLIENT', 'GROUP', 'ROLE', 'MAPPING_RULE'];

export type TenantMembers = Readonly<Record<TenantEntityType, readonly string[]>>;

export interface TenantRow {
  readonly tenantKey: bigint;
  readonly tenantId: string;
  readonly name: string;
  readonly description: string;
  readonly members: TenantMembers;
}

export const NO_MEMBERS: TenantMembers = { USER: [], CLIENT: [], GROUP: [], ROLE: [], MAPPING_RULE: [] };

/** The default tenant as it is before anyone changed it (Camunda's name for it: "Default"). */
export function defaultTenantRow(): TenantRow {
  return { tenantKey: -1n, tenantId: DEFAULT_TENANT, name: 'Default', description: '', members: NO_MEMBERS };
}

/** The row with `entityId` of `entityType` added (kept sorted) or removed. */
export function withMember(row: TenantRow, entityType: TenantEntityType, entityId: string, present: boolean): TenantRow {
  const current = row.members[entityType] ?? [];
  const next = present ? [...new Set([...current, entityId])].sort() : current.filter((id) => id !== entityId);
  return { ...row, members: { ...NO_MEMBERS, ...row.members, [entityType]: next } };
}

export function hasMember(row: TenantRow, entityType: TenantEntityType, entityId: string): boolean {
  return (row.members[entityType] ?? []).includes(entityId);
}

/** The record value of a row (ENTITY_* events name their member in `entity*`). */
export function tenantValue(row: TenantRow, entityType: TenantValue['entityType'] = 'UNSPECIFIED', entityId = ''): TenantValue {
  return { tenantKey: row.tenantKey, tenantId: row.tenantId, name: row.name, description: row.description, entityId, entityType };
}

export class TenantState {
  readonly table: Table<string, TenantRow>;

  constructor(
    journal: Journal,
    private readonly meta: Table<string, bigint | number>,
  ) {
    this.table = new Table('tenants', stringKey, journal);
  }

  /** A tenant by id; the default one always exists. */
  get(tenantId: string): TenantRow | undefined {
    return this.table.get(tenantId) ?? (tenantId === DEFAULT_TENANT ? defaultTenantRow() : undefined);
  }

  /** Every tenant, the default one included. */
  all(): TenantRow[] {
    const rows = [...this.table.values()];
    return rows.some((r) => r.tenantId === DEFAULT_TENANT) ? rows : [defaultTenantRow(), ...rows];
  }

  put(row: TenantRow): void {
    this.table.set(row.tenantId, row);
    this.bump();
  }

  delete(tenantId: string): void {
    this.table.delete(tenantId);
    this.bump();
  }

  private bump(): void {
    this.meta.set('identityVersion', ((this.meta.get('identityVersion') as number | undefined) ?? 0) + 1);
  }
}
