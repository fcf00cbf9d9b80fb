import { createRestServer, type RestServer, type RestTimeouts } from '../../../src/api/rest/index.js';
import { FakeApi } from '../../support/fake-api.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import type { ConsoleConfig, RestGuard, RestServerOptions } from '../../../src/api/rest/types.js';
import type { AuthGate } from '../../../src/security/auth-gate.js';
import type { UserService } from '../../../src/security/users/user-service.js';
import type { PartitionMark } from '../../../src/node/local-directory.js';
import type { ChangeFeedOptions } from '../../../src/api/rest/change-feed.js';

export { RecordingLogger, type LogLine } from '../../support/recording-logger.js';

export interface Harness {
  readonly api: FakeApi;
  readonly logger: RecordingLogger;
  readonly server: RestServer;
}

export const LIMITS = { maxMessageSize: 64 * 1024, maxResourcesPerDeployment: 3 };

const open: RestServer[] = [];

export function harness(
  options: {
    limits?: Partial<typeof LIMITS>;
    timeouts?: Partial<RestTimeouts>;
    api?: FakeApi;
    clockControl?: boolean;
    authentication?: AuthGate;
    users?: UserService;
    multiTenancy?: boolean;
    consoleDir?: string;
    console?: ConsoleConfig;
    guard?: RestGuard;
    backups?: RestServerOptions['backups'];
    changeMarks?: () => readonly PartitionMark[];
    changeFeed?: ChangeFeedOptions;
  } = {},
): Harness {
  const api = options.api ?? new FakeApi();
  const logger = new RecordingLogger();
  const server = createRestServer({
    api,
    logger,
    limits: { ...LIMITS, ...options.limits },
    timeouts: { longPollingMs: 200, requestMs: 300, ...options.timeouts },
    version: '0.1.0-test',
    clockControl: options.clockControl ?? false,
    authentication: options.authentication,
    users: options.users,
    multiTenancy: options.multiTenancy ?? false,
    consoleDir: options.consoleDir,
    console: options.console,
    guard: options.guard,
    backups: options.backups,
    changeMarks: options.changeMarks,
    changeFeed: options.changeFeed,
  });
  open.push(server);
  return { api, logger, server };
}

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close(1000)));
}

/** A multipart/form-data body, built by hand so tests control every byte. */
export function multipart(
  parts: readonly { name: string; filename?: string; content: string | Buffer; contentType?: string }[],
  boundary = '----zen-test-boundary',
): { payload: Buffer; headers: Record<string, string> } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
