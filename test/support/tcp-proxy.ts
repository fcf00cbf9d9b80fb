/**
 * A TCP proxy on loopback that can cut a client off from its server the way a network
 * partition does: while blocked, connections stay open but nothing gets through (no reset, no
 * error — calls simply get no answer), which is what a node cut off from etcd sees.
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

export class TcpProxy {
  private blocked = false;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | null = null;
    const server = createServer((client) => proxy!.accept(client, targetHost, targetPort));
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
    proxy = new TcpProxy(server, port);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** From now on nothing passes either way, on open connections and new ones. */
  block(): void {
    this.blocked = true;
  }

  /** Lets traffic through again; connections that lost bytes meanwhile are cut (their streams are broken), so clients reconnect. */
  unblock(): void {
    this.blocked = false;
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  private accept(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        // Dropped, as a partitioned network drops packets.
        if (!this.blocked) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  }

  async stop(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
