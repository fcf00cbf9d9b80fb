/**
 * Authentication on the gateway's gRPC port: a server interceptor that checks the call's
 * `authorization` metadata as soon as it arrives. grpc-js reads no request message until the
 * interceptor passes the metadata on, so a refused call's body is never decoded. The header is
 * taken out of the metadata before handlers see it (they log metadata at times), and the
 * principal is attached to the metadata object (call-context.ts).
 */
import { type Metadata, ServerInterceptingCall, type ServerInterceptor, status } from '@grpc/grpc-js';
import { ERROR_CATALOGUE, toZenError } from '../../errors.js';
import type { AuthGate } from '../../security/auth-gate.js';
import { attachPrincipal } from '../../security/call-context.js';

interface Logger {
  debug(obj: object, msg?: string): void;
}

export interface GrpcAuthenticationOptions {
  readonly gate: AuthGate;
  readonly logger: Logger;
  /** Refused calls never reach the handlers' metrics wrapper: they are counted here. */
  readonly onRefused?: (rpc: string, code: string, seconds: number) => void;
}

function headerOf(metadata: Metadata): string | undefined {
  const [value] = metadata.get('authorization');
  return typeof value === 'string' ? value : value?.toString('utf8');
}

export function authenticateCalls(options: GrpcAuthenticationOptions): ServerInterceptor {
  const { gate, logger } = options;
  return (method, call) =>
    new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, pass) {
            const started = performance.now();
            const address = call.getConnectionInfo().remoteAddress ?? 'unknown';
            gate.check(headerOf(metadata), address).then(
              (principal) => {
                metadata.remove('authorization');
                attachPrincipal(metadata, principal);
                pass(metadata);
              },
              (err: unknown) => {
                const zen = toZenError(err);
                const code = ERROR_CATALOGUE[zen.code].grpc;
                const rpc = method.path.slice(method.path.lastIndexOf('/') + 1);
                logger.debug({ rpc, code: zen.code, peer: address }, `${rpc} refused: ${zen.message}`);
                options.onRefused?.(rpc, status[code] ?? String(code), (performance.now() - started) / 1000);
                call.sendStatus({ code, details: zen.message, metadata: null });
              },
            );
          },
        });
      },
    });
}
