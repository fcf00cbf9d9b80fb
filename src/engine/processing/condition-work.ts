import type { VariableEventKind } from '../../model/types.js';

/** A variable written while a command is processed, in an instance that waits for some condition. */
export interface VariableChange {
  readonly processInstanceKey: bigint;
  readonly scopeKey: bigint;
  readonly name: string;
  readonly kind: VariableEventKind;
}

/**
 * What one command owes the conditional events (behaviors/conditions.ts): subscriptions opened
 * and not looked at yet, variables written since the last look, and the subscriptions that
 * already fired in this command (each fires at most once per command).
 */
export class ConditionWork {
  readonly opened: bigint[] = [];
  readonly changes: VariableChange[] = [];
  readonly fired = new Set<bigint>();
}
