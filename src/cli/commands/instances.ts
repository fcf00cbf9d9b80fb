/** `zen create instance` and `zen cancel instance`. */
import { Argument, Option, type Command } from 'commander';
import { clientCommand, verb, type ClientIo } from '../client-command.js';
import { parseDuration, parseInteger, parseKey, parseVariables } from '../option-values.js';
import { fields, formatTable } from '../table.js';

interface CreateOptions {
  readonly variables?: Record<string, unknown>;
  readonly version?: number;
  readonly withResult?: boolean;
  readonly fetchVariables?: string[];
  readonly requestTimeout?: number;
  readonly tenantId?: string;
}

/** A process definition key (digits) or a BPMN process ID: a process ID cannot start with a digit. */
export function creationBody(process: string, options: CreateOptions): Record<string, unknown> {
  const byKey = /^\d+$/.test(process);
  return {
    ...(byKey ? { processDefinitionKey: process } : { processDefinitionId: process }),
    ...(!byKey && options.version !== undefined ? { processDefinitionVersion: options.version } : {}),
    ...(options.variables ? { variables: options.variables } : {}),
    ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}),
    ...(options.withResult
      ? {
          awaitCompletion: true,
          ...(options.fetchVariables ? { fetchVariables: options.fetchVariables } : {}),
          ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}),
        }
      : {}),
  };
}

export function registerInstances(program: Command, io: ClientIo): void {
  clientCommand<CreateOptions>(
    verb(program, 'create', 'create a process instance'),
    io,
    'instance',
    'create a process instance of the latest version (or --version) of a process',
    (c) =>
      c
        .argument('<process>', 'BPMN process ID, or a process definition key')
        .option('--variables <json>', 'variables of the new instance, a JSON object', parseVariables)
        .option('--version <n>', 'the process definition version (default: the latest)', parseInteger)
        .option('--with-result', 'wait for the instance to complete and print its variables')
        .option('--fetch-variables <names...>', 'with --with-result: the variables to return (default: all)')
        .addOption(new Option('--request-timeout <duration>', 'with --with-result: how long to wait (default: the node\'s)').argParser(parseDuration))
        .option('--tenant-id <id>', 'the tenant of the process'),
    async (client, options, [process]) => {
      const reply = await client.post('/process-instances', creationBody(process!, options));
      const columns = fields('processInstanceKey', 'processDefinitionId', 'processDefinitionVersion', 'processDefinitionKey');
      return { reply, text: (body) => formatTable([body], options.withResult ? [...columns, ...fields('variables')] : columns) };
    },
  );

  clientCommand(
    verb(program, 'cancel', 'cancel a process instance'),
    io,
    'instance',
    'cancel a running process instance',
    (c) => c.addArgument(new Argument('<key>', 'the process instance key').argParser(parseKey)),
    async (client, _options, [key]) => {
      const reply = await client.post(`/process-instances/${key}/cancellation`);
      return { reply, text: () => `canceled process instance ${key}\n` };
    },
  );
}
