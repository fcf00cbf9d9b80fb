/**
 * etcd3 (the client library) can throw from inside a watch stream's data handler — "Failed to
 * find watcher for IWatchResponse" after a watch was cancelled (e.g. by a compaction) while
 * responses for it were still in flight. grpc-js runs that handler in a promise chain, so the
 * error surfaces as an unhandled rejection, which ends a Node process. Nothing of Zen's is lost
 * with that watch (every watch is backed by polling), so such errors are logged and the node
 * goes on. Any other unhandled rejection still ends the process, as Node would.
 */
import type { Logger } from 'pino';

/** etcd3's ClientRuntimeError asks to be reported upstream: its messages end with this. */
const ETCD3_INTERNAL = 'Please report this error at https://github.com/microsoft/etcd3';

export function isEtcd3InternalError(reason: unknown): boolean {
  return reason instanceof Error && reason.message.endsWith(ETCD3_INTERNAL);
}

let installed = false;

export function guardAgainstEtcd3Internals(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    if (isEtcd3InternalError(reason)) {
      logger.warn({ err: reason }, 'etcd client library error (a watch it lost track of); polling covers what the watch would have said');
      return;
    }
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    exit(1);
  });
}
