/**
 * The private port: one TCP listener for every internal protocol. The first byte a client
 * sends selects the protocol; it is put back before the connection is handed over, so each
 * protocol sees the stream from its start (HTTP/2 needs its whole client preface,
 * "PRI * HTTP/2.0…", whose first byte is `P`).
 *
 * With mutual TLS the whole port is TLS first: a connection reaches the first-byte choice only
 * once the handshake is done and the peer's certificate verified against the cluster CA, so
 * nothing of any protocol is read from a peer without one.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { TlsMaterial } from '../../tls/material.js';
import type { TlsSource } from '../../tls/watcher.js';

/** Owns the socket from then on, including closing it. Its first byte is still unread. */
export type ConnectionHandler = (socket: Socket) => void;

export const GRPC_FIRST_BYTE = 0x50; // 'P'
export const SNAPSHOT_FIRST_BYTE = 0x53; // 'S'

export interface MultiplexerOptions {
  readonly logger: Logger;
  /** A connection that has not sent its first byte by then is closed (with TLS: nor finished its handshake). */
  readonly firstByteTimeoutMs?: number;
  /** Mutual TLS: this node's certificate, and the CA every peer's must chain to. Absent: plain TCP. */
  readonly tls?: TlsSource;
}

/** Handshake failures logged as warnings at most this often; the rest at debug (a scanner must not flood the log). */
const REFUSAL_WARNING_INTERVAL_MS = 10_000;

/**
 * ALPN: `h2` for the internal gRPC service, whose HTTP/2 server refuses a TLS connection that
 * negotiated no protocol. Snapshot clients offer none, which TLS allows.
 */
const ALPN_PROTOCOLS = ['h2'];

function peerContext(material: TlsMaterial) {
  return { cert: material.cert, key: material.key, ca: material.ca ?? undefined };
}

export class PrivatePortMultiplexer {
  private readonly handlers = new Map<number, ConnectionHandler>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly logger: Logger;
  private readonly firstByteTimeoutMs: number;
  private boundPort: number | null = null;
  private closed = false;
  private stopFollowingTls: (() => void) | null = null;
  private lastRefusalWarning = 0;

  constructor(options: MultiplexerOptions) {
    this.logger = options.logger;
    this.firstByteTimeoutMs = options.firstByteTimeoutMs ?? 10_000;
    this.server = options.tls ? this.createMutualTlsServer(options.tls) : createServer((socket) => this.accept(socket));
  }

  private createMutualTlsServer(source: TlsSource): TlsServer {
    const server = createTlsServer({
      ...peerContext(source.current),
      requestCert: true,
      // OpenSSL still verifies the peer's chain against the CA; the verdict is read in
      // 'secureConnection' (as Node itself would with rejectUnauthorized), where a refusal can
      // be logged with its reason — Node's own refusal of an untrusted certificate is silent.
      rejectUnauthorized: false,
      ALPNProtocols: ALPN_PROTOCOLS,
      handshakeTimeout: this.firstByteTimeoutMs,
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.authorized) {
        this.accept(socket);
        return;
      }
      const reason = String(socket.authorizationError ?? 'no certificate');
      this.refused(socket, { code: reason }, `its certificate is not signed by the cluster CA (${reason})`);
    });
    // Raw sockets, still handshaking, are cut on close too.
    server.on('connection', (socket: Socket) => this.track(socket));
    server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) =>
      this.refused(socket, { code: err.code, reason: err.message }, 'no TLS handshake'),
    );
    this.stopFollowingTls = source.onChange((material) => server.setSecureContext(peerContext(material)));
    return server;
  }

  private refused(socket: TLSSocket, details: Record<string, unknown>, why: string): void {
    const fields = { remote: socket.remoteAddress, ...details };
    const now = Date.now();
    if (now - this.lastRefusalWarning >= REFUSAL_WARNING_INTERVAL_MS) {
      this.lastRefusalWarning = now;
      this.logger.warn(fields, `private port refused a connection: ${why}`);
    } else {
      this.logger.debug(fields, `private port refused a connection: ${why}`);
    }
    socket.destroy();
  }

  register(firstByte: number | string, handler: ConnectionHandler): void {
    const byte = typeof firstByte === 'string' ? firstByte.charCodeAt(0) : firstByte;
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new Error(`Not a byte: ${String(firstByte)}`);
    if (this.handlers.has(byte)) throw new Error(`A private protocol is already registered for first byte 0x${byte.toString(16)}`);
    this.handlers.set(byte, handler);
  }

  get port(): number | null {
    return this.boundPort;
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(Object.assign(new Error(`Private port cannot listen on ${host}:${port}: ${err.message}`, { cause: err }), { code: (err as NodeJS.ErrnoException).code }));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.logger.error({ err }, 'private port listener failed'));
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address ? address.port : port;
        this.logger.info({ host, port: this.boundPort, mutualTls: this.stopFollowingTls !== null }, 'private port listening');
        resolve(this.boundPort);
      });
    });
  }

  /**
   * Stops accepting and destroys every connection still open. Protocols should end their
   * connections gracefully before this; whatever is left is cut off here.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopFollowingTls?.();
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private track(socket: Socket): void {
    if (this.sockets.has(socket)) return;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // Resets by peers are routine; without a listener they would crash the process.
    socket.on('error', (err) => this.logger.debug({ err, remote: socket.remoteAddress }, 'private port connection error'));
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.track(socket);
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      this.logger.debug({ remote: socket.remoteAddress }, 'private port connection sent nothing; closing it');
      socket.destroy();
    }, this.firstByteTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      // Stop reading until the protocol takes over, and put the chunk back for it.
      socket.pause();
      socket.unshift(chunk);
      const handler = this.handlers.get(chunk[0]!);
      if (!handler) {
        this.logger.debug({ remote: socket.remoteAddress, firstByte: chunk[0] }, 'unknown private protocol; closing the connection');
        socket.destroy();
        return;
      }
      try {
        handler(socket);
      } catch (err) {
        this.logger.error({ err }, 'private protocol handler failed to take a connection');
        socket.destroy();
      }
    });
  }
}
