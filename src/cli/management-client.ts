/**
 * Commands that talk to a node's system port (9600: Zeebe's management API under /actuator):
 * `--management-url` (env ZEN_MANAGEMENT_URL), JSON in and out, a problem's detail on stderr
 * with exit 1. The port asks for no credentials, so none are sent.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ClientIo } from './client-command.js';
import { normalizeAddress, problemMessage, RequestError, type Reply } from './rest-client.js';

export const MANAGEMENT_URL_ENV = 'ZEN_MANAGEMENT_URL';
export const DEFAULT_MANAGEMENT_URL = 'http://localhost:9600';

export class ManagementClient {
  readonly url: string;

  constructor(
    url: string,
    private readonly io: ClientIo,
  ) {
    this.url = normalizeAddress(url);
  }

  async request(method: string, path: string, body?: unknown): Promise<Reply> {
    let response: Response;
    try {
      response = await this.io.fetch(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new RequestError(`cannot reach the management port at ${this.url}: ${cause ?? (err as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) throw new RequestError(problemMessage(response.status, text), response.status);
    return { status: response.status, text, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }
}

export interface ManagementOutcome {
  readonly reply: Reply;
  readonly text: (body: any) => string;
}

export function managementCommand<O extends object>(
  parent: Command,
  io: ClientIo,
  nameAndArgs: string,
  description: string,
  run: (client: ManagementClient, args: string[], options: O) => Promise<ManagementOutcome>,
): Command {
  const command = parent
    .command(nameAndArgs)
    .description(description)
    .addOption(new Option('--management-url <url>', `system port of a zen node (env: ${MANAGEMENT_URL_ENV}, default: ${DEFAULT_MANAGEMENT_URL})`))
    .option('--json', 'print the raw JSON answer');
  command.action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const options = self.opts<O & { managementUrl?: string; json?: boolean }>();
    const url = options.managementUrl ?? io.env[MANAGEMENT_URL_ENV] ?? DEFAULT_MANAGEMENT_URL;
    let outcome: ManagementOutcome;
    try {
      outcome = await run(new ManagementClient(url === '' ? DEFAULT_MANAGEMENT_URL : url, io), self.processedArgs as string[], options);
    } catch (err) {
      if (err instanceof InvalidArgumentError) self.error(`error: ${err.message}`, { exitCode: 2, code: 'commander.invalidArgument' });
      if (err instanceof RequestError) {
        io.stderr(`zen: ${err.message}\n`);
        io.done(1);
        return;
      }
      throw err;
    }
    if (options.json) {
      if (outcome.reply.text !== '') io.stdout(outcome.reply.text.endsWith('\n') ? outcome.reply.text : `${outcome.reply.text}\n`);
    } else io.stdout(outcome.text(outcome.reply.body));
    io.done(0);
  });
  return command;
}
