import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { decodeReadQuery, encodeReadQuery } from '../../../src/cluster/private/command-codec.js';
import type { ReadQuery } from '../../../src/engine/read-views.js';
import type { PartitionRead } from '../../../src/history/read.js';

describe('read queries on the internal wire', () => {
  it.each<[string, ReadQuery | PartitionRead]>([
    ['processInstance', { kind: 'processInstance', key: 2251799813685251n }],
    ['userTask', { kind: 'userTask', key: 2251799813685259n }],
    ['userTaskForm', { kind: 'userTaskForm', key: 2251799813685259n }],
    ['history', { kind: 'history', search: { resource: 'userTasks', filter: { state: 'CREATED' }, sort: [], limit: 10 } }],
    ['processDefinitionXml', { kind: 'processDefinitionXml', key: 2251799813685249n }],
    ['users', { kind: 'users', since: -1 }],
    ['historyAggregate', { kind: 'historyAggregate', aggregate: { kind: 'definitionElementStatistics', processDefinitionKey: 2251799813685249n, filter: { state: 'ACTIVE' } } }],
  ])('round-trips a %s read', (_kind, query) => {
    expect(decodeReadQuery(encodeReadQuery(query))).toEqual(query);
  });

  it.each([
    ['an unknown kind', { kind: 'jobs', key: 1n }],
    ['a keyed read without a bigint key', { kind: 'userTask', key: '1' }],
    ['a history read without a search', { kind: 'history' }],
    ['a users read without a version', { kind: 'users', since: '3' }],
    ['an aggregate of an unknown kind', { kind: 'historyAggregate', aggregate: { kind: 'everything' } }],
  ])('refuses %s', (_case, query) => {
    expect(() => decodeReadQuery(serialize(query))).toThrow('Expected a read query');
  });
});
