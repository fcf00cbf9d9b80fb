/**
 * The group and role resources (`/v2/groups`, `/v2/roles`): checks what a client sent, sends
 * GROUP / ROLE commands to partition 1, and shows the change in this node's copy at once
 * (other nodes see it within their next poll). Reads and member searches come from the copy.
 */
import { ZenError } from '../../errors.js';
import type { MemberSetCommandResult } from '../../engine/processors/commands/member-set.js';
import type { MemberSetRow } from '../../engine/state/member-sets.js';
import type { SearchPage } from '../../history/search/merge.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { MembershipCommands } from '../../node/identity-commands.js';
import { idProblem, memberTypeProblem, type MemberSetKind, textProblem } from '../../engine/identity/membership-fields.js';
import { type Item, searchItems, type SearchRequest } from './membership-search.js';

type Body = Readonly<Record<string, unknown>>;

/** The field a member search answers each member as (Camunda's GroupUserResult, RoleClientResult, …). */
const MEMBER_FIELD: Readonly<Record<string, string>> = { USER: 'username', CLIENT: 'clientId', GROUP: 'groupId' };

export function invalid(problem: string | null): void {
  if (problem) throw new ZenError('INVALID_ARGUMENT', problem);
}

export class MemberSetService {
  private readonly noun: 'group' | 'role';
  private readonly idField: 'groupId' | 'roleId';

  constructor(
    readonly kind: MemberSetKind,
    private readonly commands: MembershipCommands,
    readonly directory: UserDirectory,
  ) {
    this.noun = kind === 'GROUP' ? 'group' : 'role';
    this.idField = kind === 'GROUP' ? 'groupId' : 'roleId';
  }

  item(row: MemberSetRow): Item {
    return { [this.idField]: row.id, name: row.name, description: row.description };
  }

  async create(body: Body): Promise<Item> {
    invalid(idProblem(this.idField, body[this.idField]) ?? textProblem('name', body.name, true) ?? textProblem('description', body.description, false));
    const row = await this.run('CREATE', String(body[this.idField]), { name: body.name, description: body.description ?? '' });
    return this.item(row);
  }

  async update(id: string, body: Body): Promise<Item> {
    invalid(idProblem(this.idField, id) ?? textProblem('name', body.name, true) ?? textProblem('description', body.description, false));
    return this.item(await this.run('UPDATE', id, { name: body.name, description: body.description ?? '' }));
  }

  async delete(id: string): Promise<void> {
    invalid(idProblem(this.idField, id));
    await this.run('DELETE', id, {});
    // A delete also changes other sets and authorizations: read them now rather than at the next poll.
    await this.directory.refresh();
  }

  get(id: string): Item {
    const row = this.rowOf(id);
    return this.item(row);
  }

  search(request: SearchRequest): SearchPage {
    return searchItems(this.rows().map((r) => this.item(r)), request, {
      entity: this.noun,
      filterFields: [this.idField, 'name'],
      sortFields: [this.idField, 'name'],
      idField: this.idField,
    });
  }

  async assign(id: string, entityType: string, entityId: string): Promise<void> {
    invalid(idProblem(this.idField, id) ?? memberTypeProblem(this.kind, entityType) ?? idProblem(MEMBER_FIELD[entityType] ?? 'mappingRuleId', entityId));
    await this.run('ADD_ENTITY', id, { entityType, entityId });
  }

  async unassign(id: string, entityType: string, entityId: string): Promise<void> {
    invalid(idProblem(this.idField, id) ?? memberTypeProblem(this.kind, entityType) ?? idProblem(MEMBER_FIELD[entityType] ?? 'mappingRuleId', entityId));
    await this.run('REMOVE_ENTITY', id, { entityType, entityId });
  }

  /** The members of one type (users, clients, groups) of a set: `{username}`, `{clientId}`, `{groupId}` items. */
  searchMembers(id: string, entityType: 'USER' | 'CLIENT' | 'GROUP', request: SearchRequest): SearchPage {
    const field = MEMBER_FIELD[entityType]!;
    const items = this.rowOf(id)
      .members.filter((m) => m.entityType === entityType)
      .map((m) => ({ [field]: m.entityId }));
    return searchItems(items, request, { entity: `${this.noun} member`, filterFields: [field], sortFields: [field], idField: field });
  }

  /** The ids of the mapping rules of a set (the mapping rule service shows them). */
  mappingRuleIdsOf(id: string): string[] {
    return this.rowOf(id)
      .members.filter((m) => m.entityType === 'MAPPING_RULE')
      .map((m) => m.entityId);
  }

  /** The sets that hold `entityType` `entityId` (a group's roles). */
  searchHolding(entityType: string, entityId: string, request: SearchRequest): SearchPage {
    const holding = this.rows().filter((r) => r.members.some((m) => m.entityType === entityType && m.entityId === entityId));
    return searchItems(holding.map((r) => this.item(r)), request, {
      entity: this.noun,
      filterFields: [this.idField, 'name'],
      sortFields: [this.idField, 'name'],
      idField: this.idField,
    });
  }

  private rows(): MemberSetRow[] {
    this.requireLoaded();
    return this.kind === 'GROUP' ? this.directory.allGroups() : this.directory.allRoles();
  }

  private rowOf(id: string): MemberSetRow {
    const row = this.kind === 'GROUP' ? this.directory.getGroup(id) : this.directory.getRole(id);
    if (row) return row;
    this.requireLoaded();
    throw new ZenError('NOT_FOUND', `Expected to find ${this.noun} with ID '${id}', but none was found`);
  }

  private requireLoaded(): void {
    if (!this.directory.loaded) throw new ZenError('UNAVAILABLE', `This node has not loaded the ${this.noun}s yet (partition 1 could not be read); retry shortly`);
  }

  private async run(intent: string, id: string, fields: Record<string, unknown>): Promise<MemberSetRow> {
    const value =
      this.kind === 'GROUP'
        ? { groupKey: -1n, groupId: id, name: '', description: '', entityType: '', entityId: '', ...fields }
        : { roleKey: -1n, roleId: id, name: '', description: '', entityType: '', entityId: '', ...fields };
    const result = (await this.commands.submitMembershipCommand(this.kind, intent, value)) as MemberSetCommandResult;
    this.directory.applyMemberSetChange(this.kind, intent, result);
    return result.row;
  }
}
