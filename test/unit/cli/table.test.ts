import { describe, expect, it } from 'vitest';
import { cell, fields, formatTable } from '../../../src/cli/table.js';
import { formatTopology } from '../../../src/cli/commands/status.js';
import { deploymentRows } from '../../../src/cli/commands/deploy.js';

describe('formatTable', () => {
  it('aligns every column to its widest cell, header included, without trailing spaces', () => {
    const text = formatTable(
      [
        { processInstanceKey: '2251799813685251', state: 'ACTIVE', hasIncident: false },
        { processInstanceKey: '7', state: 'COMPLETED', hasIncident: true },
      ],
      fields('processInstanceKey', 'state', 'hasIncident'),
    );
    expect(text).toBe(
      'processInstanceKey  state      hasIncident\n' +
        '2251799813685251    ACTIVE     false\n' +
        '7                   COMPLETED  true\n',
    );
  });

  it('keeps keys as the strings the API sent, even beyond 2^53', () => {
    const text = formatTable([{ key: '9223372036854775807' }], fields('key'));
    expect(text.split('\n')[1]).toBe('9223372036854775807');
  });

  it('prints absent values as empty, objects as compact JSON, and line breaks as spaces', () => {
    expect(cell(undefined)).toBe('');
    expect(cell(null)).toBe('');
    expect(cell({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(cell('line one\nline two')).toBe('line one line two');
    const text = formatTable([{ a: 'x' }], fields('a', 'b', 'c'));
    expect(text).toBe('a  b  c\nx\n');
  });

  it('prints only the header for no rows', () => {
    expect(formatTable([], fields('jobKey', 'type'))).toBe('jobKey  type\n');
  });

  it('reads a field other than the header when told', () => {
    expect(formatTable([{ processInstanceKey: '5' }], [{ header: 'KEY', field: 'processInstanceKey' }])).toBe('KEY\n5\n');
  });
});

describe('command tables', () => {
  it('lists one row per partition of each broker under a cluster summary', () => {
    const text = formatTopology({
      brokers: [
        { nodeId: 0, host: 'a', port: 26501, version: '0.1.0', partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }, { partitionId: 2, role: 'follower', health: 'healthy' }] },
      ],
      clusterSize: 1,
      partitionsCount: 2,
      replicationFactor: 1,
      gatewayVersion: '0.1.0',
    });
    expect(text.split('\n')).toEqual([
      'cluster size: 1, partitions: 2, replication factor: 1, gateway version: 0.1.0',
      'nodeId  address  partitionId  role      health   version',
      '0       a:26501  1            leader    healthy  0.1.0',
      '0       a:26501  2            follower  healthy  0.1.0',
      '',
    ]);
  });

  it('flattens a deployment of every resource kind into rows', () => {
    const rows = deploymentRows({
      deployments: [
        { processDefinition: { processDefinitionId: 'order', processDefinitionVersion: 2, processDefinitionKey: '11', resourceName: 'order.bpmn' } },
        { decisionDefinition: { decisionDefinitionId: 'd', version: 1, decisionDefinitionKey: '12' } },
        { decisionRequirements: { decisionRequirementsId: 'drg', version: 1, decisionRequirementsKey: '13', resourceName: 'd.dmn' } },
        { form: { formId: 'f', version: 3, formKey: '14', resourceName: 'f.form' } },
      ],
    });
    expect(rows).toEqual([
      { kind: 'processDefinition', id: 'order', version: 2, key: '11', resourceName: 'order.bpmn' },
      { kind: 'decisionDefinition', id: 'd', version: 1, key: '12', resourceName: undefined },
      { kind: 'decisionRequirements', id: 'drg', version: 1, key: '13', resourceName: 'd.dmn' },
      { kind: 'form', id: 'f', version: 3, key: '14', resourceName: 'f.form' },
    ]);
  });
});
