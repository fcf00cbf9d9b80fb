import { bigintKey, type Journal, Table } from './table.js';
import type { UserTaskValue } from '../records.js';

/** Where a Camunda user task is in its lifecycle; every state but CREATED is a transition in progress. */
export type UserTaskLifecycle = 'CREATING' | 'CREATED' | 'ASSIGNING' | 'CLAIMING' | 'UPDATING' | 'COMPLETING' | 'CANCELING';

export interface UserTaskRow {
  readonly key: bigint;
  readonly state: UserTaskLifecycle;
  /** The task as the last finished transition left it. */
  readonly value: UserTaskValue;
  /** The transition in progress: its -ING record with the corrections listeners made so far; null when CREATED. */
  readonly transition: UserTaskValue | null;
  /** Task listeners of the running transition's event whose jobs have completed. */
  readonly listenersDone: number;
  /** The assignee the model gave: the task is assigned to it once created. */
  readonly initialAssignee: string;
  /** The element's and the process's names (for reads; the record has neither). */
  readonly name: string;
  readonly processName: string;
}

/** Active Camunda user tasks by key; a completed or canceled task leaves the state. */
export class UserTaskState {
  readonly table: Table<bigint, UserTaskRow>;

  constructor(journal: Journal) {
    this.table = new Table('user_tasks', bigintKey, journal);
  }

  get(key: bigint): UserTaskRow | undefined {
    return this.table.get(key);
  }

  put(row: UserTaskRow): void {
    this.table.set(row.key, row);
  }

  update(key: bigint, change: (row: UserTaskRow) => UserTaskRow): void {
    const row = this.table.get(key);
    if (row) this.table.set(key, change(row));
  }

  remove(key: bigint): void {
    this.table.delete(key);
  }

  all(): IterableIterator<UserTaskRow> {
    return this.table.values();
  }
}
