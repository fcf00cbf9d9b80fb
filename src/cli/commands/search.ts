/** `zen search instances|incidents|jobs|user-tasks|variables`: the history's `/v2/…/search`. */
import { Option, type Command } from 'commander';
import { clientCommand, verb, type ClientIo } from '../client-command.js';
import { collect, parseCount } from '../option-values.js';
import { parseFilter, parseSort, searchBody, type SearchOptions, type SortField } from '../search-query.js';
import { fields, formatTable, type Column } from '../table.js';

interface Searchable {
  readonly name: string;
  readonly path: string;
  readonly what: string;
  readonly columns: readonly Column[];
  readonly example: string;
}

export const SEARCHABLE: readonly Searchable[] = [
  {
    name: 'instances',
    path: '/process-instances',
    what: 'process instances',
    columns: fields('processInstanceKey', 'processDefinitionId', 'processDefinitionVersion', 'state', 'hasIncident', 'startDate', 'endDate'),
    example: '--filter state=ACTIVE --filter processDefinitionId=order --sort startDate:desc',
  },
  {
    name: 'incidents',
    path: '/incidents',
    what: 'incidents',
    columns: fields('incidentKey', 'processInstanceKey', 'elementId', 'errorType', 'state', 'creationTime', 'errorMessage'),
    example: '--filter state=ACTIVE --filter errorType=JOB_NO_RETRIES --sort creationTime:desc',
  },
  {
    name: 'jobs',
    path: '/jobs',
    what: 'jobs',
    columns: fields('jobKey', 'type', 'processInstanceKey', 'elementId', 'state', 'retries', 'worker', 'deadline'),
    example: '--filter type=pay --filter state=CREATED --sort creationTime',
  },
  {
    name: 'user-tasks',
    path: '/user-tasks',
    what: 'user tasks',
    columns: fields('userTaskKey', 'name', 'elementId', 'processInstanceKey', 'state', 'assignee', 'creationDate'),
    example: '--filter state=CREATED --filter assignee=demo --sort creationDate',
  },
  {
    name: 'variables',
    path: '/variables',
    what: 'variables',
    columns: fields('variableKey', 'name', 'value', 'scopeKey', 'processInstanceKey'),
    example: '--filter processInstanceKey=2251799813685251 --sort name',
  },
];

interface SearchFlags {
  readonly filter?: (readonly [string, unknown])[];
  readonly sort?: SortField[];
  readonly limit?: number;
  readonly strong?: boolean;
}

interface Page {
  readonly items?: Record<string, unknown>[];
  readonly page?: { readonly totalItems?: number };
}

export function registerSearch(program: Command, io: ClientIo): void {
  const search = verb(program, 'search', 'search the history: running and finished alike');
  for (const s of SEARCHABLE) {
    clientCommand<SearchFlags>(
      search,
      io,
      s.name,
      `search ${s.what} (POST /v2${s.path}/search)`,
      (c) =>
        c
          .addOption(
            new Option('--filter <field=value>', 'only items whose field has the value; repeatable; a JSON value takes operators, e.g. \'state={"$in":["ACTIVE","COMPLETED"]}\'')
              .argParser(collect(parseFilter)),
          )
          .addOption(new Option('--sort <field[:asc|desc]>', 'sort by the field; repeatable, the first sorts first').argParser(collect(parseSort)))
          .option('--limit <n>', 'the most items to return (default: 100)', parseCount)
          .option('--strong', 'see every write acknowledged before the search (header Zen-Consistency: strong)')
          .addHelpText('after', `\nExample:\n  zen search ${s.name} ${s.example} --limit 20\n`),
      async (client, options) => {
        const body = searchBody(options as SearchOptions);
        const reply = await client.post(`${s.path}/search`, body, options.strong ? { 'zen-consistency': 'strong' } : {});
        return {
          reply,
          text: (answer: Page) => {
            const items = answer.items ?? [];
            const total = answer.page?.totalItems;
            // On stderr: the table stays a table for `| grep` and the like.
            if (total !== undefined && total > items.length) io.stderr(`${items.length} of ${total} ${s.what}; see --limit\n`);
            return formatTable(items, s.columns);
          },
        };
      },
    );
  }
}
