/** `zen publish message` and `zen broadcast signal`. */
import { Option, type Command } from 'commander';
import { clientCommand, verb, type ClientIo } from '../client-command.js';
import { parseDuration, parseVariables } from '../option-values.js';
import { fields, formatTable } from '../table.js';

interface PublishOptions {
  readonly correlationKey: string;
  readonly variables?: Record<string, unknown>;
  readonly ttl?: number;
  readonly messageId?: string;
  readonly tenantId?: string;
}

export function publicationBody(name: string, options: PublishOptions): Record<string, unknown> {
  return {
    name,
    correlationKey: options.correlationKey,
    ...(options.ttl !== undefined ? { timeToLive: options.ttl } : {}),
    ...(options.messageId !== undefined ? { messageId: options.messageId } : {}),
    ...(options.variables ? { variables: options.variables } : {}),
    ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}),
  };
}

export function registerMessages(program: Command, io: ClientIo): void {
  clientCommand<PublishOptions>(
    verb(program, 'publish', 'publish a message'),
    io,
    'message',
    'publish a message; it is buffered for --ttl for subscriptions opened later',
    (c) =>
      c
        .argument('<name>', 'the message name')
        .requiredOption('--correlation-key <key>', "the correlation key ('' for message start events)")
        .option('--variables <json>', 'the message variables, a JSON object', parseVariables)
        .addOption(new Option('--ttl <duration>', 'how long the message is buffered, e.g. 30s, 1h (default: 0, not buffered)').argParser(parseDuration))
        .option('--message-id <id>', 'a unique ID: the same ID is refused while the first message is buffered')
        .option('--tenant-id <id>', 'the tenant of the message'),
    async (client, options, [name]) => {
      const reply = await client.post('/messages/publication', publicationBody(name!, options));
      return { reply, text: (body) => formatTable([body], fields('messageKey', 'tenantId')) };
    },
  );

  clientCommand<{ variables?: Record<string, unknown>; tenantId?: string }>(
    verb(program, 'broadcast', 'broadcast a signal'),
    io,
    'signal',
    'broadcast a signal to every waiting element and signal start event',
    (c) =>
      c
        .argument('<name>', 'the signal name')
        .option('--variables <json>', 'the signal variables, a JSON object', parseVariables)
        .option('--tenant-id <id>', 'the tenant of the signal'),
    async (client, options, [name]) => {
      const body = {
        signalName: name,
        ...(options.variables ? { variables: options.variables } : {}),
        ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}),
      };
      const reply = await client.post('/signals/broadcast', body);
      return { reply, text: (answer) => formatTable([answer], fields('signalKey', 'tenantId')) };
    },
  );
}
