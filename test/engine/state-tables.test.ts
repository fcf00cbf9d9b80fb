import { describe, expect, it } from 'vitest';
import { EngineState } from '../../src/engine/state/engine-state.js';

describe('engine state tables', () => {
  it('have unique names: a checkpoint row is found again by its table name', () => {
    const names = new EngineState(1).tables().map((t) => t.name);
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    expect(repeated).toEqual([]);
  });
});
