/** The Instances pages' logic that needs no browser: the list's filters and the migration preview. */
import { describe, expect, it } from 'vitest';
import { filtersFromQuery, filtersToQuery, NO_FILTERS, toApiFilter } from '../../../console/src/pages/instances/filters.js';
import { mappingInstructions, migrationPlan } from '../../../console/src/pages/instances/migration-plan.js';

describe('instance list filters', () => {
  it('round-trip through the address and leave empty fields out', () => {
    const filters = { ...NO_FILTERS, process: 'order', version: '3', state: 'ACTIVE' as const, variableName: 'city', variableValue: 'Berlin', incidentsOnly: true };
    const query = filtersToQuery(filters);
    expect(query).toBe('?process=order&version=3&state=ACTIVE&var=city&value=Berlin&incidents=1');
    expect(filtersFromQuery(query)).toEqual(filters);
    expect(filtersToQuery(NO_FILTERS)).toBe('');
    // What the address cannot mean is dropped, not sent.
    expect(filtersFromQuery('?state=RUNNING&version=x')).toEqual(NO_FILTERS);
  });

  it("become Camunda's process instance filter", () => {
    expect(toApiFilter(NO_FILTERS)).toEqual({});
    expect(toApiFilter({ ...NO_FILTERS, version: '2' })).toEqual({});
    const filter = toApiFilter({ ...NO_FILTERS, process: 'order', version: '2', state: 'COMPLETED', incidentsOnly: true, variableName: ' city ', variableValue: '"Paris"' });
    expect(filter).toEqual({ processDefinitionId: 'order', processDefinitionVersion: 2, state: 'COMPLETED', hasIncident: true, variables: [{ name: 'city', value: '"Paris"' }] });
    // Dates are whole local days, the "to" day included.
    const dates = toApiFilter({ ...NO_FILTERS, startedFrom: '2026-03-01', startedTo: '2026-03-01' }).startDate as { $gte: string; $lt: string };
    expect(new Date(dates.$lt).getTime() - new Date(dates.$gte).getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(new Date(dates.$gte).getDate()).toBe(1);
  });
});

describe('migration preview', () => {
  const source = new Map([['prepare', 'serviceTask'], ['work', 'serviceTask'], ['gone', 'serviceTask']]);
  const target = new Map([['prepare', 'serviceTask'], ['work', 'userTask'], ['other', 'serviceTask']]);

  it('maps by id, names what would be refused, and takes the user picks', () => {
    const plan = migrationPlan(['prepare', 'work', 'gone', 'prepare'], source, target, new Map());
    expect(plan).toEqual([
      { sourceElementId: 'prepare', sourceType: 'serviceTask', targetElementId: 'prepare' },
      { sourceElementId: 'work', sourceType: 'serviceTask', targetElementId: 'work', problem: 'A serviceTask cannot become a userTask' },
      { sourceElementId: 'gone', sourceType: 'serviceTask', targetElementId: '', problem: "No element 'gone' in the target: pick one" },
    ]);
    const picked = migrationPlan(['work', 'gone'], source, target, new Map([['work', 'other'], ['gone', 'other']]));
    expect(picked.every((row) => !row.problem)).toBe(true);
    expect(mappingInstructions(picked)).toEqual([
      { sourceElementId: 'work', targetElementId: 'other' },
      { sourceElementId: 'gone', targetElementId: 'other' },
    ]);
  });
});
