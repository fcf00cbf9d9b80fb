/**
 * What every client command shares: `--address` (env ZEN_ADDRESS) and `--json`, the REST client,
 * and the outcome: the table or the raw JSON on stdout with exit 0, or the failure on stderr
 * with exit 1. Usage errors never get here: commander reports them (exit 2).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ADDRESS_ENV, DEFAULT_ADDRESS, RequestError, RestClient, type FetchFn, type Reply } from './rest-client.js';

/** A failure of the command other than a request (a file that cannot be read): exit 1. */
export class CommandFailure extends Error {}

export interface ClientIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: FetchFn;
  readonly readFile: (path: string) => Promise<Buffer>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Receives the command's exit code. */
  readonly done: (code: number) => void;
}

export interface ClientFlags {
  readonly address?: string;
  readonly json?: boolean;
}

/** A command's answer: the reply (printed raw with --json) and how to show it as text. */
export interface Outcome {
  readonly reply: Reply;
  readonly text: (body: any) => string;
}

export type ClientRun<O> = (client: RestClient, options: O, args: string[], io: ClientIo) => Promise<Outcome>;

/** The verb (`create`, `search`, …) under the program, made on first use so groups can share one. */
export function verb(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  return existing ?? program.command(name).description(description);
}

/** A leaf command with the shared flags; `run` gets the positional arguments and options. */
export function clientCommand<O extends object>(
  parent: Command,
  io: ClientIo,
  nameAndArgs: string,
  description: string,
  configure: (command: Command) => void,
  run: ClientRun<O>,
): Command {
  const command = parent.command(nameAndArgs).description(description);
  configure(command);
  command
    .addOption(new Option('--address <url>', `REST address of a zen node (env: ${ADDRESS_ENV}, default: ${DEFAULT_ADDRESS})`))
    .option('--json', 'print the raw JSON answer instead of a table');
  command.action(async (...received: unknown[]) => {
    // Commander passes the arguments, then the options, then the command itself.
    const self = received[received.length - 1] as Command;
    const options = self.opts<O & ClientFlags>();
    const args = self.processedArgs as string[];
    const address = options.address ?? io.env[ADDRESS_ENV] ?? DEFAULT_ADDRESS;
    const client = new RestClient(address === '' ? DEFAULT_ADDRESS : address, io.fetch);
    let outcome: Outcome;
    try {
      outcome = await run(client, options, args, io);
    } catch (err) {
      if (err instanceof InvalidArgumentError) self.error(`error: ${err.message}`, { exitCode: 2, code: 'commander.invalidArgument' });
      if (err instanceof RequestError || err instanceof CommandFailure) {
        io.stderr(`zen: ${err.message}\n`);
        io.done(1);
        return;
      }
      throw err;
    }
    const { reply, text } = outcome;
    if (options.json) {
      if (reply.text !== '') io.stdout(reply.text.endsWith('\n') ? reply.text : `${reply.text}\n`);
    } else {
      io.stdout(text(reply.body));
    }
    io.done(0);
  });
  return command;
}
