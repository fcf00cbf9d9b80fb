/**
 * Cluster-secret proofs (auth.ts) on the internal gRPC service: the client interceptor puts a
 * fresh proof into every call it starts, the server interceptor checks it as soon as the
 * call's metadata arrives. grpc-js reads no request message until the handler's listener sees
 * that metadata, so a refused call's body is discarded unread rather than received, buffered
 * up to the message limit and decoded.
 */
import {
  InterceptingCall,
  ServerInterceptingCall,
  type Interceptor,
  type ServerInterceptor,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { PROOF_METADATA_KEY, type ClusterAuth } from './auth.js';
import { toServiceStatus } from './remote-errors.js';

/** Presents a proof made for the method of each call, minted when the call starts. */
export function presentProofs(auth: ClusterAuth): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(PROOF_METADATA_KEY, auth.mint(options.method_definition.path));
        next(metadata, listener);
      },
    });
}

/** Ends every call without a valid proof for its method with UNAUTHENTICATED, before reading it. */
export function requireProofs(auth: ClusterAuth, logger: Logger): ServerInterceptor {
  return (method, call) =>
    new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, pass) {
            try {
              auth.verify(metadata.get(PROOF_METADATA_KEY)[0], method.path);
            } catch (err) {
              logger.debug({ err, method: method.path, peer: call.getPeer() }, 'internal call refused');
              const { code, details, metadata: trailers } = toServiceStatus(err);
              call.sendStatus({ code: code!, details: details ?? '', metadata: trailers ?? null });
              return;
            }
            // Handlers have no use for it, and it should not turn up in what they log.
            metadata.remove(PROOF_METADATA_KEY);
            pass(metadata);
          },
        });
      },
    });
}
