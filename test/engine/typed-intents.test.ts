/**
 * Intents are typed per value type (records.ts INTENTS): a typo in an event or an applier
 * table fails `npm run typecheck` (part of `npm test`), and an event the version does not
 * know fails a replay loudly instead of being skipped.
 */
import { describe, expect, it } from 'vitest';
import type { ApplierTable } from '../../src/engine/appliers/applier.js';
import { applierFor, applyEvent } from '../../src/engine/appliers/index.js';
import { ModelCache } from '../../src/engine/models.js';
import type { ProcessingContext } from '../../src/engine/processing/context.js';
import { EngineState } from '../../src/engine/state/engine-state.js';

// Compile-time checks: each line below must stay an error for typecheck to pass.
export function typoChecks(ctx: ProcessingContext): void {
  // @ts-expect-error JOB has no ACTIVATED event (JOB_BATCH has)
  ctx.event('JOB', 'ACTIVATED', 1n, {});
  // @ts-expect-error an intent of a command is not an event
  ctx.event('PROCESS_INSTANCE', 'CANCEL', 1n, {});
  // @ts-expect-error a table that misses TRIGGERED and CANCELED
  const missing: ApplierTable<'TIMER'> = { CREATED: null };
  // @ts-expect-error a table with an intent the value type does not have
  const extra: ApplierTable<'ERROR'> = { CREATED: null, RAISED: null };
  void missing;
  void extra;
}

describe('typed intents', () => {
  it('every event has an applier entry; one that changes no state has null', () => {
    expect(applierFor('PROCESS_INSTANCE', 'ELEMENT_ACTIVATED')).toBeTypeOf('function');
    expect(applierFor('VARIABLE_DOCUMENT', 'UPDATED')).toBeNull();
  });

  it('an event this version does not know fails the replay instead of being skipped', () => {
    const state = new EngineState(1);
    const record = { position: 1, sourceRecordPosition: -1, key: 1n, timestamp: 0, partitionId: 1, recordType: 'EVENT' as const, valueType: 'JOB' as const, intent: 'SUSPENDED', value: {} };
    expect(() => applyEvent(state, record, new ModelCache())).toThrow(/No applier for the event JOB SUSPENDED/);
    // Commands and rejections are not applied: their intents need no applier.
    expect(() => applyEvent(state, { ...record, recordType: 'COMMAND', intent: 'COMPLETE' }, new ModelCache())).not.toThrow();
  });
});
