import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseFilter, parseSort, searchBody } from '../../../src/cli/search-query.js';

describe('--filter', () => {
  it('takes text as text', () => {
    expect(parseFilter('state=ACTIVE')).toEqual(['state', 'ACTIVE']);
    expect(parseFilter('processDefinitionId=order')).toEqual(['processDefinitionId', 'order']);
  });

  it('takes numbers and booleans as JSON', () => {
    expect(parseFilter('processDefinitionVersion=2')).toEqual(['processDefinitionVersion', 2]);
    expect(parseFilter('hasIncident=true')).toEqual(['hasIncident', true]);
  });

  it('keeps digits as a string for key fields and beyond 2^53', () => {
    expect(parseFilter('processInstanceKey=2251799813685251')).toEqual(['processInstanceKey', '2251799813685251']);
    expect(parseFilter('correlationKey=42')).toEqual(['correlationKey', '42']);
    expect(parseFilter('retries=9007199254740993')).toEqual(['retries', '9007199254740993']);
  });

  it('takes operators as a JSON object, and a quoted JSON string as text', () => {
    expect(parseFilter('state={"$in":["ACTIVE","COMPLETED"]}')).toEqual(['state', { $in: ['ACTIVE', 'COMPLETED'] }]);
    expect(parseFilter('elementId="42"')).toEqual(['elementId', '42']);
  });

  it('splits at the first = only, and allows an empty value', () => {
    expect(parseFilter('errorMessage=a=b')).toEqual(['errorMessage', 'a=b']);
    expect(parseFilter('assignee=')).toEqual(['assignee', '']);
  });

  it('refuses a filter without a field name', () => {
    expect(() => parseFilter('ACTIVE')).toThrow(InvalidArgumentError);
    expect(() => parseFilter('=ACTIVE')).toThrow(/field=value/);
  });
});

describe('--sort', () => {
  it('sorts ascending unless told desc, in any case', () => {
    expect(parseSort('startDate')).toEqual({ field: 'startDate', order: 'ASC' });
    expect(parseSort('startDate:desc')).toEqual({ field: 'startDate', order: 'DESC' });
    expect(parseSort('startDate:ASC')).toEqual({ field: 'startDate', order: 'ASC' });
  });

  it('refuses other orders', () => {
    expect(() => parseSort('startDate:down')).toThrow(InvalidArgumentError);
    expect(() => parseSort(':desc')).toThrow(InvalidArgumentError);
  });
});

describe('searchBody', () => {
  it("builds Camunda's {filter, sort, page}", () => {
    expect(
      searchBody({
        filter: [['state', 'ACTIVE'], ['processDefinitionId', 'order']],
        sort: [{ field: 'startDate', order: 'DESC' }],
        limit: 20,
      }),
    ).toEqual({
      filter: { state: 'ACTIVE', processDefinitionId: 'order' },
      sort: [{ field: 'startDate', order: 'DESC' }],
      page: { limit: 20 },
    });
  });

  it('sends an empty filter and no sort or page when none is given', () => {
    expect(searchBody({})).toEqual({ filter: {} });
  });

  it('refuses a field filtered twice', () => {
    expect(() => searchBody({ filter: [['state', 'ACTIVE'], ['state', 'COMPLETED']] })).toThrow(/more than once/);
  });
});
