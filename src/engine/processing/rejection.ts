import type { RejectionType } from '../../errors.js';

/**
 * Thrown by a processor that finds, part-way through writing its events, that the command cannot
 * be done (a modification that would need a scope it may not create): the engine drops every
 * record and state change of the command and rejects it with this type and reason, as Zeebe does
 * for the errors its processors hand to `tryHandleError`.
 */
export class CommandRejected extends Error {
  constructor(
    readonly rejectionType: RejectionType,
    readonly reason: string,
  ) {
    super(reason);
  }
}
