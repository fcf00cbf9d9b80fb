/** `zen resolve incident`. */
import { Argument, type Command } from 'commander';
import { clientCommand, verb, type ClientIo } from '../client-command.js';
import { parseKey } from '../option-values.js';

export function registerIncidents(program: Command, io: ClientIo): void {
  clientCommand(
    verb(program, 'resolve', 'resolve an incident'),
    io,
    'incident',
    'resolve an incident so its element retries (give a failed job retries first, e.g. with a new fail job --retries)',
    (c) => c.addArgument(new Argument('<key>', 'the incident key').argParser(parseKey)),
    async (client, _options, [key]) => {
      const reply = await client.post(`/incidents/${key}/resolution`);
      return { reply, text: () => `resolved incident ${key}\n` };
    },
  );
}
