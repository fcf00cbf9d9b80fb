/** `zen config get [KEY]`, `zen config set KEY VALUE`, `zen config unset KEY`: runtime settings over the management port (ADR 016). */
import type { Command } from 'commander';
import type { ClientIo } from '../client-command.js';
import { managementCommand } from '../management-client.js';
import { formatTable } from '../table.js';

const PATH = '/actuator/cluster/configuration';

interface Setting {
  readonly key: string;
  readonly value: string;
  readonly source: string;
  readonly runtimeChangeable: boolean;
  readonly sequence?: number;
}

function formatSettings(settings: readonly Setting[]): string {
  const rows = settings.map((s) => ({ ...s, runtime: s.runtimeChangeable ? 'yes' : 'no', sequence: s.sequence ?? '' }));
  return formatTable(rows, [{ header: 'key' }, { header: 'value' }, { header: 'source' }, { header: 'runtime' }, { header: 'sequence' }]);
}

export function registerConfig(program: Command, io: ClientIo): void {
  const config = program.command('config').description('read and change the settings in force, for the whole cluster (runtime settings only)');
  managementCommand(config, io, 'get [key]', 'show every setting, or one, with its value in force and where it came from', async (client, _options, [key]) => {
    if (key) {
      const body = await client.request('GET', `${PATH}/${encodeURIComponent(key)}`);
      return { body, text: (s: Setting) => formatSettings([s]) };
    }
    const body = await client.request('GET', PATH);
    return { body, text: (b: { settings: Setting[] }) => formatSettings(b.settings) };
  });
  managementCommand(config, io, 'set <key> <value>', 'change a runtime setting on every node (key: option name or flag without dashes)', async (client, _options, [key, value]) => {
    const body = await client.request('PATCH', PATH, { [key!]: value });
    return { body, text: (b: { settings: Setting[] }) => formatSettings(b.settings) };
  });
  managementCommand(config, io, 'unset <key>', "put a runtime setting back to each node's start-up value", async (client, _options, [key]) => {
    const body = await client.request('PATCH', PATH, { [key!]: null });
    return { body, text: (b: { settings: Setting[] }) => formatSettings(b.settings) };
  });
}
