import { readFile } from 'node:fs/promises';
import { CommanderError } from 'commander';
import type { FetchFn } from './rest-client.js';
import { createLogger } from '../log/logger.js';
import { buildProgram } from './program.js';
import { runStart, type StartDeps } from './start-command.js';
import { runRestore } from './restore-command.js';
import { trustingFetch } from './trusting-fetch.js';
import { zenVersion } from '../version.js';

export type CliDeps = Omit<StartDeps, 'version'> & {
  readonly stdout: (text: string) => void;
  /** For the REST client commands; Node's fetch and fs when not given. */
  readonly fetch?: FetchFn;
  readonly readFile?: (path: string) => Promise<Buffer>;
};

/** Commander's usage errors exit 2, as is usual for command lines; its help and version exit 0. */
export const USAGE_ERROR = 2;

function processDeps(): CliDeps {
  return {
    env: process.env,
    // Loaded on `start` only: `zen --help` should not pay for gRPC, SQLite and the engine.
    startNode: async (config, logger, sources) => (await import('../server/start.js')).startNode(config, logger, sources),
    createLogger,
    exit: (code) => process.exit(code),
    onSignal: (signal, handler) => void process.on(signal, handler),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

/**
 * Runs the CLI. Resolves with the exit code when the command is finished, or undefined while
 * a started node keeps the process alive.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number | undefined> {
  let result: number | undefined = 0;
  const program = buildProgram({
    version: zenVersion(),
    stdout: deps.stdout,
    stderr: deps.stderr,
    start: async (flags) => {
      result = await runStart(flags, { ...deps, version: zenVersion() });
    },
    restore: async (flags) => {
      result = await runRestore(flags, deps);
    },
    client: {
      env: deps.env,
      fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
      // A test's fetch stands for the network, CA or not.
      trustingFetch: deps.fetch ? undefined : (ca) => trustingFetch(ca, (url, init) => fetch(url, init)),
      readFile: deps.readFile ?? ((path) => readFile(path)),
      stdout: deps.stdout,
      stderr: deps.stderr,
      done: (code) => {
        result = code;
      },
    },
  });
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    // Commander has already printed help, the version, or its one-line usage error.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : USAGE_ERROR;
    throw err;
  }
  return result;
}

/** Entry point used by bin/zen.js with process.argv. */
export async function main(argv: string[]): Promise<void> {
  const deps = processDeps();
  const code = await runCli(argv, deps);
  if (code === undefined) return;
  // Success leaves the event loop to drain stdout; a failure may have left servers bound, so exit.
  if (code === 0) process.exitCode = 0;
  else deps.exit(code);
}
