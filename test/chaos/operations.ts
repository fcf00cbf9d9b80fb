/**
 * The record of every client operation of a run, with its outcome as the client saw it:
 * `ack` (the cluster answered success), `error` (it answered a failure, with its code), or
 * `unknown` (no answer in time: it may or may not have taken effect). The checker judges the
 * cluster's end state against this record.
 */
export type OperationKind = 'create' | 'publish' | 'activate' | 'complete-job' | 'search-user-tasks' | 'complete-user-task';
export type Outcome = 'ack' | 'error' | 'unknown';

export interface Operation {
  readonly kind: OperationKind;
  readonly via: number;
  readonly startedAt: number;
  endedAt: number;
  outcome: Outcome;
  /** gRPC status name or HTTP status, for errors. */
  code?: string;
  message?: string;
  /** The instance's tag (create, publish), the job or user task key (completions). */
  readonly subject?: string;
  /** What the ack returned: an instance key, a message key, jobs activated. */
  result?: string;
}

const GRPC_NAMES: Record<number, string> = {
  1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED', 9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 15: 'DATA_LOSS', 16: 'UNAUTHENTICATED',
};

/** A thrown error's code as a name: gRPC status names, `HTTP 409`, or `CLIENT` for a local failure. */
export function codeOf(err: unknown): string {
  // fetch's AbortSignal.timeout: a DOMException, whose numeric code is not a gRPC status.
  const name = (err as { name?: unknown }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') return GRPC_NAMES[code] ?? `GRPC ${code}`;
  if (typeof code === 'string' && /^HTTP \d+$/.test(code)) return code;
  return 'CLIENT';
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** `promise`, or a TimeoutError after `ms` (the promise keeps running; its outcome is then unknown). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class OperationLog {
  readonly all: Operation[] = [];

  /**
   * Runs `call` as one operation: ack with `describe(result)`, error with its code, unknown on
   * a timeout or when `isUnknown` says the error leaves the outcome open. Rethrows errors after
   * recording them, and returns the result.
   */
  async record<T>(
    kind: OperationKind,
    via: number,
    subject: string | undefined,
    call: () => Promise<T>,
    options: { timeoutMs: number; describe?: (result: T) => string },
  ): Promise<T> {
    const op: Operation = { kind, via, startedAt: Date.now(), endedAt: 0, outcome: 'unknown', ...(subject === undefined ? {} : { subject }) };
    this.all.push(op);
    try {
      const result = await within(call(), options.timeoutMs);
      op.outcome = 'ack';
      if (options.describe) op.result = options.describe(result);
      return result;
    } catch (err) {
      if (err instanceof TimeoutError) {
        op.outcome = 'unknown';
        op.code = 'TIMEOUT';
      } else {
        op.code = codeOf(err);
        // The answer was lost, not refused: the command may have been committed.
        op.outcome = op.code === 'TIMEOUT' || op.code === 'DEADLINE_EXCEEDED' || op.code === 'CANCELLED' || op.code === 'UNKNOWN' || op.code === 'CLIENT' ? 'unknown' : 'error';
      }
      op.message = String((err as Error).message ?? err).slice(0, 200);
      throw err;
    } finally {
      op.endedAt = Date.now();
    }
  }

  of(kind: OperationKind): Operation[] {
    return this.all.filter((o) => o.kind === kind);
  }

  /** Counts by `kind outcome`. */
  countsByKindAndOutcome(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const o of this.all) out[`${o.kind} ${o.outcome}`] = (out[`${o.kind} ${o.outcome}`] ?? 0) + 1;
    return sortedRecord(out);
  }

  /**
   * Per partition (from the keys: the partition id is in a key's top bits), the longest time
   * between two acknowledged writes that touched it (creates, job and user task completions)
   * within [from, to]: what clients saw of the partition's unavailability.
   */
  longestWriteGaps(from: number, to: number): Map<number, { ms: number; endedAt: number }> {
    const times = new Map<number, number[]>();
    for (const o of this.all) {
      if (o.outcome !== 'ack' || o.endedAt < from || o.endedAt > to) continue;
      const key = o.kind === 'create' ? o.result : o.kind === 'complete-job' || o.kind === 'complete-user-task' ? o.subject : undefined;
      if (!key || !/^\d+$/.test(key)) continue;
      const partition = Number(BigInt(key) >> 51n);
      let list = times.get(partition);
      if (!list) times.set(partition, (list = [from]));
      list.push(o.endedAt);
    }
    const out = new Map<number, { ms: number; endedAt: number }>();
    for (const [partition, list] of times) {
      list.sort((a, b) => a - b);
      list.push(to);
      let best = { ms: 0, endedAt: 0 };
      for (let i = 1; i < list.length; i++) if (list[i]! - list[i - 1]! > best.ms) best = { ms: list[i]! - list[i - 1]!, endedAt: list[i]! - from };
      out.set(partition, best);
    }
    return new Map([...out].sort(([a], [b]) => a - b));
  }

  /** The first message seen per error code, to tell what a code meant in this run. */
  sampleMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const o of this.all) if (o.outcome !== 'ack' && o.code && !(o.code in out)) out[o.code] = `${o.kind}: ${o.message ?? ''}`.slice(0, 160);
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Counts of failed operations (errors and unknowns) by code. */
  errorsByCode(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const o of this.all) if (o.outcome !== 'ack') out[o.code ?? '?'] = (out[o.code ?? '?'] ?? 0) + 1;
    return sortedRecord(out);
  }
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}
