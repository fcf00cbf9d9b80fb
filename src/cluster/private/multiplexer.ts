/**
 * The private port: one TCP listener for every internal protocol. The first byte a client
 * sends selects the protocol; it is put back before the connection is handed over, so each
 * protocol sees the stream from its start (HTTP/2 needs its whole client preface,
 * "PRI * HTTP/2.0…", whose first byte is `P`).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';

/** Owns the socket from then on, including closing it. Its first byte is still unread. */
export type ConnectionHandler = (socket: Socket) => void;

export const GRPC_FIRST_BYTE = 0x50; // 'P'
export const SNAPSHOT_FIRST_BYTE = 0x53; // 'S'

export interface MultiplexerOptions {
  readonly logger: Logger;
  /** A connection that has not sent its first byte by then is closed. */
  readonly firstByteTimeoutMs?: number;
}

export class PrivatePortMultiplexer {
  private readonly handlers = new Map<number, ConnectionHandler>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly logger: Logger;
  private readonly firstByteTimeoutMs: number;
  private boundPort: number | null = null;
  private closed = false;

  constructor(options: MultiplexerOptions) {
    this.logger = options.logger;
    this.firstByteTimeoutMs = options.firstByteTimeoutMs ?? 10_000;
    this.server = createServer((socket) => this.accept(socket));
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
        this.logger.info({ host, port: this.boundPort }, 'private port listening');
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
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // Resets by peers are routine; without a listener they would crash the process.
    socket.on('error', (err) => this.logger.debug({ err, remote: socket.remoteAddress }, 'private port connection error'));
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
