/** `zen activate jobs`, `zen complete job` and `zen fail job`. */
import { Argument, Option, type Command } from 'commander';
import { clientCommand, verb, type ClientIo } from '../client-command.js';
import { parseCount, parseDuration, parseInteger, parseKey, parseVariables } from '../option-values.js';
import { fields, formatTable } from '../table.js';

interface ActivateOptions {
  readonly max: number;
  readonly timeout: number;
  readonly worker: string;
  readonly requestTimeout?: number;
  readonly fetchVariables?: string[];
}

/** zbctl's defaults (one job, 5 minutes); no long polling unless asked: a command should answer now. */
export const ACTIVATE_DEFAULTS = { max: 1, timeoutMs: 5 * 60_000, worker: 'zen' } as const;

export function activationBody(type: string, options: ActivateOptions): Record<string, unknown> {
  return {
    type,
    maxJobsToActivate: options.max,
    timeout: options.timeout,
    worker: options.worker,
    // Below 0 the node answers at once with what is available (0 would mean its default wait).
    requestTimeout: options.requestTimeout ?? -1,
    ...(options.fetchVariables ? { fetchVariable: options.fetchVariables } : {}),
  };
}

export function registerJobs(program: Command, io: ClientIo): void {
  clientCommand<ActivateOptions>(
    verb(program, 'activate', 'activate jobs'),
    io,
    'jobs',
    'activate jobs of a type for this worker',
    (c) =>
      c
        .argument('<type>', 'the job type')
        .option('--max <n>', `the most jobs to activate (default: ${ACTIVATE_DEFAULTS.max})`, parseCount, ACTIVATE_DEFAULTS.max)
        .addOption(
          new Option('--timeout <duration>', 'how long the jobs stay with this worker, e.g. 30s, 5m (default: 5m)')
            .argParser(parseDuration)
            .default(ACTIVATE_DEFAULTS.timeoutMs, '5m'),
        )
        .option('--worker <name>', 'the worker name the jobs are activated for', ACTIVATE_DEFAULTS.worker)
        .addOption(new Option('--request-timeout <duration>', 'wait up to this long for a job (default: answer at once)').argParser(parseDuration))
        .option('--fetch-variables <names...>', 'the variables to fetch (default: all)'),
    async (client, options, [type]) => {
      const reply = await client.post('/jobs/activation', activationBody(type!, options));
      return {
        reply,
        text: (body) =>
          formatTable(body.jobs ?? [], fields('jobKey', 'type', 'processInstanceKey', 'elementId', 'retries', 'deadline', 'variables')),
      };
    },
  );

  clientCommand<{ variables?: Record<string, unknown> }>(
    verb(program, 'complete', 'complete a job'),
    io,
    'job',
    'complete an activated job',
    (c) =>
      c
        .addArgument(new Argument('<key>', 'the job key').argParser(parseKey))
        .option('--variables <json>', 'the variables to complete the job with, a JSON object', parseVariables),
    async (client, options, [key]) => {
      const reply = await client.post(`/jobs/${key}/completion`, options.variables ? { variables: options.variables } : {});
      return { reply, text: () => `completed job ${key}\n` };
    },
  );

  clientCommand<{ retries: number; message?: string; retryBackoff?: number; variables?: Record<string, unknown> }>(
    verb(program, 'fail', 'fail a job'),
    io,
    'job',
    'fail an activated job: with retries left it is activated again, with none an incident is raised',
    (c) =>
      c
        .addArgument(new Argument('<key>', 'the job key').argParser(parseKey))
        .option('--retries <n>', 'the retries the job has left; 0 raises an incident', parseInteger, 0)
        .option('--message <text>', 'why the job failed (the incident message)')
        .addOption(new Option('--retry-backoff <duration>', 'how long before the job can be activated again').argParser(parseDuration))
        .option('--variables <json>', 'variables for the local scope of the job, a JSON object', parseVariables),
    async (client, options, [key]) => {
      const body = {
        retries: options.retries,
        ...(options.message !== undefined ? { errorMessage: options.message } : {}),
        ...(options.retryBackoff !== undefined ? { retryBackOff: options.retryBackoff } : {}),
        ...(options.variables ? { variables: options.variables } : {}),
      };
      const reply = await client.post(`/jobs/${key}/failure`, body);
      return { reply, text: () => `failed job ${key} (${options.retries} retries left)\n` };
    },
  );
}
