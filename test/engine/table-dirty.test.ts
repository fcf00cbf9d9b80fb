import { describe, expect, it } from 'vitest';
import { Journal, Table, stringKey } from '../../src/engine/state/table.js';

/** What a checkpoint would write: the rows changed since the last one (undefined = delete). */
function checkpoint(table: Table<string, number>): Record<string, number | undefined> {
  return Object.fromEntries(table.takeDirty()) as Record<string, number | undefined>;
}

describe('a table’s changed rows between checkpoints', () => {
  it('leaves out a row created and deleted between two checkpoints, but deletes a checkpointed one', () => {
    const table = new Table<string, number>('t', stringKey, new Journal());
    table.set('kept', 1);
    table.set('gone-later', 2);
    expect(checkpoint(table)).toStrictEqual({ kept: 1, 'gone-later': 2 });

    table.set('short-lived', 3);
    table.delete('short-lived');
    table.delete('gone-later');
    const written = checkpoint(table);
    expect(written).toStrictEqual({ 'gone-later': undefined });
    expect(checkpoint(table)).toStrictEqual({});
  });

  it('writes a checkpointed row deleted and created again, and a new row that stays', () => {
    const table = new Table<string, number>('t', stringKey, new Journal());
    table.set('a', 1);
    checkpoint(table);
    table.delete('a');
    table.set('a', 2);
    table.set('b', 3);
    table.delete('b');
    table.set('b', 4);
    expect(checkpoint(table)).toStrictEqual({ a: 2, b: 4 });
  });

  it('leaves out a new row whose command was rolled back, and rewrites a rolled-back deletion', () => {
    const journal = new Journal();
    const table = new Table<string, number>('t', stringKey, journal);
    table.set('persisted', 1);
    checkpoint(table);

    journal.begin();
    table.set('new', 2);
    table.delete('persisted');
    journal.rollback();

    expect(table.get('persisted')).toBe(1);
    expect(table.has('new')).toBe(false);
    expect(checkpoint(table)).toStrictEqual({ persisted: 1 });
  });

  it('treats rows loaded from a checkpoint as present in it', () => {
    const table = new Table<string, number>('t', stringKey, new Journal());
    table.loadRow('loaded', 5);
    table.delete('loaded');
    expect(checkpoint(table)).toStrictEqual({ loaded: undefined });
  });
});
