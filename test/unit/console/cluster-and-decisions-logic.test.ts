/** The Cluster and Decision pages' logic that needs no browser: backup ids and times, and when a DMN has a diagram to show. */
import { describe, expect, it } from 'vitest';
import { nextBackupId, parseBackupId, takenAt, type Backup } from '../../../console/src/pages/cluster/backup-ids.js';
import { hasDiagram } from '../../../console/src/pages/decisions/dmn-xml.js';
import { discountDmn } from '../../fixtures/dmn-builder.js';

const part = (partitionId: number, createdAt: string) => ({ partitionId, state: 'COMPLETED', createdAt, lastUpdatedAt: createdAt, checkpointPosition: 1, brokerId: 0, brokerVersion: '0.1.0' });
const backup = (backupId: number, ...details: ReturnType<typeof part>[]): Backup => ({ backupId, state: 'COMPLETED', details });

describe('backups on the Cluster page', () => {
  it('propose one past the highest id listed, 1 for none', () => {
    expect(nextBackupId([])).toBe(1);
    expect(nextBackupId([backup(7), backup(12), backup(9)])).toBe(13);
  });

  it('take only whole ids from 1 typed in', () => {
    expect(parseBackupId(' 42 ')).toBe(42);
    for (const text of ['', '0', '-1', '1.5', '1e3', 'six', '99999999999999999999']) expect(parseBackupId(text), text).toBeNull();
  });

  it('were taken when their first partition started, and not yet when none has', () => {
    expect(takenAt(backup(1, part(2, '2026-12-07T00:00:05.000Z'), part(1, '2026-12-07T00:00:03.000Z')))).toBe('2026-12-07T00:00:03.000Z');
    expect(takenAt(backup(1))).toBeNull();
  });
});

describe('the requirements diagram of a DMN', () => {
  it('is offered only when the XML carries one (DMNDI), whatever its prefix', () => {
    expect(hasDiagram(discountDmn({ diagram: true }))).toBe(true);
    expect(hasDiagram(discountDmn())).toBe(false);
    expect(hasDiagram('<definitions><DMNDI><DMNDiagram id="d"/></DMNDI></definitions>')).toBe(true);
    expect(hasDiagram('<decision name="DMNDiagramLike"/>')).toBe(false);
  });
});
