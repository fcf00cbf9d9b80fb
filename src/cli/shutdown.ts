import type { Logger } from '../log/logger.js';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * SIGTERM/SIGINT handling. The first signal drains the node and exits 0 (1 if stop fails);
 * a second one exits 1 at once, for the operator who will not wait. A signal that arrives
 * while the node is still starting is remembered and acted on once `attach` is called.
 */
export class GracefulShutdown {
  private node: Stoppable | undefined;
  private signal: string | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly exit: (code: number) => void,
  ) {}

  get requested(): boolean {
    return this.signal !== undefined;
  }

  onSignal(signal: string): void {
    if (this.signal !== undefined) {
      this.logger.warn(`received ${signal} again, exiting without waiting for the drain`);
      this.exit(1);
      return;
    }
    this.signal = signal;
    if (this.node) void this.stop(this.node);
    else this.logger.info(`received ${signal} during startup, stopping once started`);
  }

  attach(node: Stoppable): void {
    this.node = node;
    if (this.signal !== undefined) void this.stop(node);
  }

  private async stop(node: Stoppable): Promise<void> {
    this.logger.info(`received ${this.signal}, stopping`);
    try {
      await node.stop();
      this.logger.info('stopped');
      this.exit(0);
    } catch (err) {
      this.logger.error({ err }, 'graceful stop failed');
      this.exit(1);
    }
  }
}
