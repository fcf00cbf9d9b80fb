import { Command, Option } from 'commander';
import { CONFIG_FILE_ENV, CONFIG_FILE_FLAG, OPTIONS } from '../config/options.js';
import type { ClientIo } from './client-command.js';
import { registerConfig } from './commands/config.js';
import { registerCluster } from './commands/cluster.js';
import { registerDeploy } from './commands/deploy.js';
import { registerIncidents } from './commands/incidents.js';
import { registerInstances } from './commands/instances.js';
import { registerJobs } from './commands/jobs.js';
import { registerMessages } from './commands/messages.js';
import { registerSearch } from './commands/search.js';
import { registerStatus } from './commands/status.js';
import { registerWhoami } from './commands/whoami.js';
import { registerBackup } from './commands/backup.js';
import { registerRestore } from './restore-command.js';

export interface ProgramHandlers {
  readonly version: string;
  readonly start: (flags: Record<string, unknown>) => Promise<void>;
  /** `zen restore`: local, no node (restore-command.ts). */
  readonly restore?: (flags: Record<string, unknown>) => Promise<void>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The client commands' world: environment, fetch, files, and where their exit code goes. */
  readonly client: ClientIo;
}

/**
 * The `zen` command line. Flags carry no commander defaults: an absent flag must stay undefined
 * so env, file and defaults can apply in that order (the defaults are shown in the help text).
 * Values are not checked here either, so every source fails with the same messages.
 */
export function buildProgram(handlers: ProgramHandlers): Command {
  const program = new Command('zen')
    .description('BPMN workflow engine speaking the Zeebe gateway protocol')
    .version(handlers.version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Program flags before the command only: `zen create instance order --version 3` is the process version.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: handlers.stdout, writeErr: handlers.stderr });

  const start = program
    .command('start')
    .description('run a node (embedded storage, no etcd, one partition by default)')
    .addOption(new Option(`${CONFIG_FILE_FLAG} <path>`, `YAML configuration file (env: ${CONFIG_FILE_ENV})`));
  for (const o of OPTIONS) {
    const help = `${o.description.replace(/\.$/, '')} (default: ${o.defaultText}, env: ${o.env})`;
    start.addOption(new Option(o.optionalValue ? `${o.flag} [${o.valueName}]` : `${o.flag} <${o.valueName}>`, help));
  }
  start.action(async (flags: Record<string, unknown>) => handlers.start(flags));

  // Clients of a node's REST API, in zbctl's verb-noun shape.
  registerDeploy(program, handlers.client);
  registerInstances(program, handlers.client);
  registerMessages(program, handlers.client);
  registerJobs(program, handlers.client);
  registerIncidents(program, handlers.client);
  registerStatus(program, handlers.client);
  registerSearch(program, handlers.client);
  registerWhoami(program, handlers.client);
  // The management port's commands (--management-url).
  registerConfig(program, handlers.client);
  // Clients of a node's management (system) port.
  registerCluster(program, handlers.client);
  registerBackup(program, handlers.client);
  if (handlers.restore) registerRestore(program, handlers.restore);
  return program;
}
