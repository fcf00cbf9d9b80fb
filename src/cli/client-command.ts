/**
 * What every client command shares: `--address` (env ZEN_ADDRESS), `--json`, the credentials and
 * `--ca-cert` flags, the REST client, and the outcome: the table or the raw JSON on stdout with
 * exit 0, or the failure on stderr with exit 1. Usage errors never get here: commander reports
 * them (exit 2).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { authorizationFor } from './authorization.js';
import { CREDENTIAL_ENV, resolveCredentials, setting, type CredentialFlags } from './credentials.js';
import { ADDRESS_ENV, DEFAULT_ADDRESS, RequestError, RestClient, type FetchFn, type Reply } from './rest-client.js';

/** A failure of the command other than a request (a file that cannot be read): exit 1. */
export class CommandFailure extends Error {}

export interface ClientIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: FetchFn;
  /** fetch that also trusts this CA for https:// (`--ca-cert`); `fetch` itself when not given. */
  readonly trustingFetch?: (ca: Buffer) => FetchFn;
  readonly readFile: (path: string) => Promise<Buffer>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Receives the command's exit code. */
  readonly done: (code: number) => void;
}

export interface ClientFlags extends CredentialFlags {
  readonly address?: string;
  readonly json?: boolean;
}

const env = (key: keyof typeof CREDENTIAL_ENV) => `env: ${CREDENTIAL_ENV[key].join(', ')}`;

/** zbctl's and the SDK's names where they have one; values are checked when the command runs. */
function addConnectionOptions(command: Command): void {
  command
    .addOption(new Option('--username <name>', `user for basic authentication (${env('username')})`))
    .addOption(new Option('--password <password>', `password for basic authentication; prefer the environment, which others on the machine cannot read (${env('password')})`))
    .addOption(new Option('--token <token>', `bearer access token to send as it is (${env('token')})`))
    .addOption(new Option('--client-id <id>', `OAuth client id, exchanged for a token with --client-secret (${env('clientId')})`))
    .addOption(new Option('--client-secret <secret>', `OAuth client secret (${env('clientSecret')})`))
    .addOption(new Option('--authz-url <url>', `OAuth token endpoint for the client credentials grant (${env('authzUrl')})`))
    .addOption(new Option('--audience <audience>', `audience of the requested token (${env('audience')})`))
    .addOption(new Option('--scope <scope>', `scope of the requested token (${env('scope')})`))
    .addOption(new Option('--ca-cert <path>', `PEM file of a CA to trust for https:// besides the system's (${env('caCert')})`));
}

async function connect(options: ClientFlags, io: ClientIo): Promise<RestClient> {
  const credentials = resolveCredentials(options, io.env);
  const address = options.address ?? io.env[ADDRESS_ENV] ?? DEFAULT_ADDRESS;
  const caPath = setting(options, io.env, 'caCert');
  let fetchFn = io.fetch;
  if (caPath !== undefined) {
    let ca: Buffer;
    try {
      ca = await io.readFile(caPath);
    } catch (err) {
      throw new CommandFailure(`cannot read the CA certificate ${caPath}: ${(err as Error).message}`);
    }
    if (!ca.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
      throw new CommandFailure(`the CA certificate ${caPath} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    }
    fetchFn = io.trustingFetch?.(ca) ?? io.fetch;
  }
  return new RestClient(address === '' ? DEFAULT_ADDRESS : address, fetchFn, authorizationFor(credentials, fetchFn));
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
  addConnectionOptions(command);
  command.action(async (...received: unknown[]) => {
    // Commander passes the arguments, then the options, then the command itself.
    const self = received[received.length - 1] as Command;
    const options = self.opts<O & ClientFlags>();
    const args = self.processedArgs as string[];
    let outcome: Outcome;
    try {
      outcome = await run(await connect(options, io), options, args, io);
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
