/**
 * The mapping rule resources (`/v2/mapping-rules`): checks, MAPPING_RULE commands to partition
 * 1, reads from this node's copy. A rule gives the principals whose token carries its claim the
 * groups and roles it is a member of, and the authorizations it owns (resolution.ts).
 */
import { ZenError } from '../../errors.js';
import type { MappingRuleCommandResult } from '../../engine/processors/commands/mapping-rule.js';
import type { MappingRuleValue } from '../../engine/records.js';
import type { SearchPage } from '../../history/search/merge.js';
import type { UserDirectory } from '../users/user-directory.js';
import { invalid } from './member-set-service.js';
import type { MembershipCommands } from '../../node/identity-commands.js';
import { idProblem, textProblem } from '../../engine/identity/membership-fields.js';
import { type Item, searchItems, type SearchRequest } from './membership-search.js';

type Body = Readonly<Record<string, unknown>>;

const FIELDS = ['mappingRuleId', 'claimName', 'claimValue', 'name'];

export function mappingRuleItem(rule: MappingRuleValue): Item {
  return { mappingRuleId: rule.mappingRuleId, claimName: rule.claimName, claimValue: rule.claimValue, name: rule.name };
}

function checked(id: unknown, body: Body): MappingRuleValue {
  invalid(
    idProblem('mappingRuleId', id) ??
      textProblem('claimName', body.claimName, true) ??
      textProblem('claimValue', body.claimValue, true) ??
      textProblem('name', body.name, true),
  );
  return { mappingRuleKey: -1n, mappingRuleId: String(id), claimName: String(body.claimName), claimValue: String(body.claimValue), name: String(body.name) };
}

export class MappingRuleService {
  constructor(
    private readonly commands: MembershipCommands,
    readonly directory: UserDirectory,
  ) {}

  async create(body: Body): Promise<Item> {
    return mappingRuleItem(await this.run('CREATE', checked(body.mappingRuleId, body)));
  }

  async update(id: string, body: Body): Promise<Item> {
    return mappingRuleItem(await this.run('UPDATE', checked(id, body)));
  }

  async delete(id: string): Promise<void> {
    invalid(idProblem('mappingRuleId', id));
    await this.run('DELETE', { mappingRuleKey: -1n, mappingRuleId: id, claimName: '', claimValue: '', name: '' });
    // Its memberships and authorizations went with it: read them now rather than at the next poll.
    await this.directory.refresh();
  }

  get(id: string): Item {
    const rule = this.directory.getMappingRule(id);
    if (rule) return mappingRuleItem(rule);
    this.requireLoaded();
    throw new ZenError('NOT_FOUND', `Expected to find mapping rule with ID '${id}', but none was found`);
  }

  search(request: SearchRequest): SearchPage {
    return this.searchAmong(null, request);
  }

  /** The rules among `ids` (a group's or role's), or all of them. */
  searchAmong(ids: readonly string[] | null, request: SearchRequest): SearchPage {
    this.requireLoaded();
    const wanted = ids ? new Set(ids) : null;
    const rules = this.directory.allMappingRules().filter((r) => !wanted || wanted.has(r.mappingRuleId));
    return searchItems(rules.map(mappingRuleItem), request, { entity: 'mapping rule', filterFields: FIELDS, sortFields: FIELDS, idField: 'mappingRuleId' });
  }

  private requireLoaded(): void {
    if (!this.directory.loaded) throw new ZenError('UNAVAILABLE', 'This node has not loaded the mapping rules yet (partition 1 could not be read); retry shortly');
  }

  private async run(intent: string, value: MappingRuleValue): Promise<MappingRuleValue> {
    const result = (await this.commands.submitMembershipCommand('MAPPING_RULE', intent, value)) as MappingRuleCommandResult;
    this.directory.applyMappingRuleChange(intent, result);
    return result.mappingRule;
  }
}
