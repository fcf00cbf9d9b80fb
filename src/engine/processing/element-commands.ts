import type { ProcessInstanceValue, Variables } from '../records.js';

/**
 * Follow-up work on element instances, queued while a command is processed and drained
 * before it finishes (Zeebe's ACTIVATE_ELEMENT / COMPLETE_ELEMENT follow-up commands).
 * They are not logged: the events they produce are.
 */
export type ElementCommand =
  | {
      readonly kind: 'ACTIVATE';
      readonly key: bigint;
      readonly value: ProcessInstanceValue;
      /** Trigger variables for events activated by a trigger (boundary events). */
      readonly variables?: Variables;
      /**
       * A scope started at these elements (ids, possibly nested in sub-processes) rather than at its
       * start event: CreateProcessInstance start instructions.
       */
      readonly startAt?: readonly string[];
      /** A process started by one of its start events (timer, message) rather than the none start event. */
      readonly triggeredEventId?: string;
      /** Activated by a trigger that already happened (after an event-based gateway): it does not wait. */
      readonly triggered?: boolean;
      /** Local variables the new instance starts with, before its input mappings (a multi-instance item). */
      readonly localVariables?: Variables;
      /** Activated by hand (ModifyProcessInstance): a joining gateway fires without waiting for its tokens. */
      readonly direct?: boolean;
      /**
       * A called process's variables, written just before it activates: if its call activity is
       * ended first (an event that fired as it was entered), no variables are left behind.
       */
      readonly rootVariables?: Variables;
    }
  | { readonly kind: 'COMPLETE'; readonly key: bigint };
