/**
 * Read-only questions the partition driver asks the state between commands: what time
 * drives next, which commands to re-send. Answers become commands; nothing here writes.
 */
import { toMessageSubscription } from './behaviors/event-subscriptions.js';
import { partitionOfKey } from './state/engine-state.js';
import type { EngineState } from './state/engine-state.js';
import type { EngineCommand, OutboundCommand } from './processing/types.js';

/** The earliest time at which something is due, or null. */
export function nextDueTime(state: EngineState): number | null {
  let next: number | null = null;
  for (const candidate of [
    state.timers.due.next(),
    state.jobs.deadlines.next(),
    state.jobs.backoffs.next(),
    state.messages.deadlines.next(),
  ]) {
    if (candidate !== null && (next === null || candidate < next)) next = candidate;
  }
  return next;
}

/**
 * Commands for everything due at `now`: timers, job deadlines and back-offs, message TTLs.
 * `skip` leaves out items already queued, so they do not use up the limit (many due timers
 * that keep failing must not starve the job deadlines behind them).
 */
export function dueCommands(
  state: EngineState,
  now: number,
  limit: number,
  skip: (valueType: EngineCommand['valueType'], intent: string, key: bigint) => boolean = () => false,
): EngineCommand[] {
  const out: EngineCommand[] = [];
  const add = (keys: bigint[], valueType: EngineCommand['valueType'], intent: string) => {
    for (const key of keys) if (out.length < limit && !skip(valueType, intent, key)) out.push({ valueType, intent, key, value: {} });
  };
  add(state.timers.due.dueAt(now, limit), 'TIMER', 'TRIGGER');
  add(state.jobs.deadlines.dueAt(now, limit), 'JOB', 'TIME_OUT');
  add(state.jobs.backoffs.dueAt(now, limit), 'JOB', 'RECUR_AFTER_BACKOFF');
  add(state.messages.deadlines.dueAt(now, limit), 'MESSAGE', 'EXPIRE');
  return out;
}

/** Whether jobs of `type` are activatable: of these tenants, or of any tenant when none are named. */
export function hasActivatableJobs(state: EngineState, type: string, tenantIds?: readonly string[]): boolean {
  return tenantIds ? state.jobs.hasActivatable(type, tenantIds) : state.jobs.activatableCount(type) > 0;
}

/**
 * Cross-partition commands that were sent but not yet answered. The driver re-sends them
 * (every receiver is idempotent) after a restart or when an answer takes too long.
 */
export function unansweredCommands(state: EngineState): Array<{ id: string; command: OutboundCommand }> {
  const out: Array<{ id: string; command: OutboundCommand }> = [];
  for (const row of state.processMessageSubscriptions.pending()) {
    const value = toMessageSubscription(row.value);
    const intent = row.state === 'CREATING' ? 'CREATE' : 'DELETE';
    out.push({
      id: `pms:${row.value.elementInstanceKey}:${row.value.messageName}:${intent}`,
      command: { partitionId: row.value.subscriptionPartitionId, valueType: 'MESSAGE_SUBSCRIPTION', intent, key: value.elementInstanceKey, value },
    });
  }
  for (const row of state.messageSubscriptions.correlating()) {
    out.push({
      id: `ms:${row.value.elementInstanceKey}:${row.value.messageName}:${row.value.messageKey}`,
      command: {
        partitionId: partitionOfKey(row.value.processInstanceKey),
        valueType: 'PROCESS_MESSAGE_SUBSCRIPTION',
        intent: 'CORRELATE',
        key: row.value.elementInstanceKey,
        value: row.value,
      },
    });
  }
  const { calledInstances } = state;
  for (const row of calledInstances.calls.values()) {
    if (row.state === 'CREATED') continue;
    const callKey = row.value.parentElementInstanceKey;
    const intent = row.state === 'CREATING' ? 'CREATE' : 'CANCEL';
    out.push({ id: `call:${callKey}:${intent}`, command: { partitionId: row.value.childPartitionId, valueType: 'CALLED_PROCESS_INSTANCE', intent, key: callKey, value: row.value } });
  }
  for (const row of calledInstances.children.values()) {
    if (row.state !== 'RETURNING') continue;
    const callKey = row.value.parentElementInstanceKey;
    out.push({ id: `call:${callKey}:COMPLETE`, command: { partitionId: partitionOfKey(callKey), valueType: 'CALLED_PROCESS_INSTANCE', intent: 'COMPLETE', key: callKey, value: row.value } });
  }
  for (const value of calledInstances.throws.values()) {
    out.push({ id: `throw:${value.throwKey}`, command: { partitionId: partitionOfKey(value.callActivityInstanceKey), valueType: 'CALLED_PROCESS_INSTANCE', intent: 'THROW', key: value.throwKey, value } });
  }
  for (const row of state.distributions.values()) {
    out.push({
      id: `dist:${row.key}:${row.value.partitionId}`,
      command: {
        partitionId: row.value.partitionId,
        valueType: row.value.valueType,
        intent: row.value.intent,
        key: row.key,
        value: row.value.commandValue,
      },
    });
  }
  return out;
}
