/**
 * Correlation requests still waiting for their answer, by message key: kept from
 * MESSAGE_CORRELATION CORRELATING until CORRELATED or NOT_CORRELATED, so that the message
 * partition can answer when the instance's partition confirms (or refuses) the message.
 */
import type { MessageCorrelationValue } from '../records.js';
import { bigintKey, type Journal, Table } from './table.js';

export class MessageCorrelationRequests {
  readonly table: Table<bigint, MessageCorrelationValue>;

  constructor(journal: Journal) {
    this.table = new Table('message_correlation_requests', bigintKey, journal);
  }

  get(messageKey: bigint): MessageCorrelationValue | undefined {
    return this.table.get(messageKey);
  }

  put(value: MessageCorrelationValue): void {
    this.table.set(value.messageKey, value);
  }

  remove(messageKey: bigint): void {
    this.table.delete(messageKey);
  }
}
