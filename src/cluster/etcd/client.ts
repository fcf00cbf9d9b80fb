/**
 * The etcd client every cluster component uses. Every unary call carries a deadline: etcd3's
 * retry policy would otherwise keep a call alive across a dead member for a long time, and
 * a stalled call must surface as an error the caller can act on (step down, retry).
 */
import { Etcd3 } from 'etcd3';
import { keepLeaseTimesMonotonic } from './lease-clock.js';

export interface EtcdClientOptions {
  readonly endpoints: readonly string[];
  /** Deadline of each unary call. */
  readonly callTimeoutMs?: number;
}

export const DEFAULT_ETCD_CALL_TIMEOUT_MS = 3000;
const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

export function createEtcdClient(options: EtcdClientOptions): Etcd3 {
  const timeout = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;
  keepLeaseTimesMonotonic();
  return new Etcd3({
    hosts: [...options.endpoints],
    dialTimeout: timeout,
    // A catch-up read of many large partition-log entries can exceed grpc-js's 4 MiB default;
    // ReplicatedLog.read also halves its range when a response is still too large.
    grpcOptions: { 'grpc.max_receive_message_length': MAX_RESPONSE_BYTES },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeout }),
  });
}

/** Rejects with a message naming `what` when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Fixed-width decimal, so etcd's byte order of keys is numeric order. */
export function padIndex(index: number): string {
  return String(index).padStart(16, '0');
}
