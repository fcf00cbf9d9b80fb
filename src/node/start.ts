// Placeholder so the CLI compiles until the node owner lands the real module.
import type { ZenConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';

export interface RunningNode {
  /** Graceful: stop accepting requests, drain in-flight batches, close ports and databases. */
  stop(): Promise<void>;
}

export async function startNode(_config: ZenConfig, _logger: Logger): Promise<RunningNode> {
  throw new Error('not implemented');
}
