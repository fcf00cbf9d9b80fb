/**
 * The etcd client every cluster component uses. Every unary call carries a deadline: etcd3's
 * retry policy would otherwise keep a call alive across a dead member for a long time, and
 * a stalled call must surface as an error the caller can act on (step down, retry).
 */
import { Etcd3 } from 'etcd3';

export interface EtcdClientOptions {
  readonly endpoints: readonly string[];
  /** Deadline of each unary call. */
  readonly callTimeoutMs?: number;
}

export const DEFAULT_ETCD_CALL_TIMEOUT_MS = 3000;

export function createEtcdClient(options: EtcdClientOptions): Etcd3 {
  const timeout = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;
  return new Etcd3({
    hosts: [...options.endpoints],
    dialTimeout: timeout,
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
