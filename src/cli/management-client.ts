/**
 * Commands that talk to a node's management (system) port, Zeebe's 9600: `--management-url`
 * (env ZEN_MANAGEMENT_URL, default http://localhost:9600) and `--json`. The port asks for no
 * credentials (like Zeebe's), so none are sent. On failure the problem's detail goes to stderr,
 * exit 1.
 */
import { Option, type Command } from 'commander';
import type { ClientIo } from './client-command.js';
import { RequestError, type FetchFn } from './request-error.js';

export const MANAGEMENT_URL_ENV = 'ZEN_MANAGEMENT_URL';
export const DEFAULT_MANAGEMENT_URL = 'http://localhost:9600';

export interface ManagementFlags {
  readonly managementUrl?: string;
  readonly json?: boolean;
}

export class ManagementClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: FetchFn,
  ) {}

  /** The parsed JSON answer; a RequestError with the problem's detail for anything but 2xx. */
  async request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(this.baseUrl) ? this.baseUrl : `http://${this.baseUrl}`;
    const url = `${base.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new RequestError(`cannot reach the management port at ${this.baseUrl}${cause ? ` (${cause})` : ''}: ${(err as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const detail = (parsed as { detail?: unknown } | undefined)?.detail;
      throw new RequestError(typeof detail === 'string' ? detail : `${method} ${path} answered ${response.status}`, response.status);
    }
    return parsed;
  }
}

export type ManagementRun<O> = (client: ManagementClient, options: O, args: string[]) => Promise<{ body: unknown; text: (body: any) => string }>;

export function managementCommand<O extends object>(
  parent: Command,
  io: ClientIo,
  nameAndArgs: string,
  description: string,
  run: ManagementRun<O>,
): Command {
  const command = parent
    .command(nameAndArgs)
    .description(description)
    .addOption(new Option('--management-url <url>', `management (system) port of a zen node (env: ${MANAGEMENT_URL_ENV}, default: ${DEFAULT_MANAGEMENT_URL})`))
    .option('--json', 'print the raw JSON answer instead of a table');
  command.action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const options = self.opts<O & ManagementFlags>();
    const url = options.managementUrl || io.env[MANAGEMENT_URL_ENV] || DEFAULT_MANAGEMENT_URL;
    try {
      const { body, text } = await run(new ManagementClient(url, io.fetch), options, self.processedArgs as string[]);
      io.stdout(options.json ? `${JSON.stringify(body, null, 2)}\n` : text(body));
      io.done(0);
    } catch (err) {
      if (err instanceof RequestError) {
        io.stderr(`zen: ${err.message}\n`);
        io.done(1);
        return;
      }
      throw err;
    }
  });
  return command;
}
