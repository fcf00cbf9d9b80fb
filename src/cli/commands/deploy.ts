/** `zen deploy FILE...`: one multipart request, so the files deploy together or not at all. */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { clientCommand, CommandFailure, type ClientIo } from '../client-command.js';
import { formatTable } from '../table.js';

type Deployed = Record<string, Record<string, unknown>>;

const KINDS: readonly { readonly kind: string; readonly id: string; readonly key: string; readonly version: string }[] = [
  { kind: 'processDefinition', id: 'processDefinitionId', key: 'processDefinitionKey', version: 'processDefinitionVersion' },
  { kind: 'decisionDefinition', id: 'decisionDefinitionId', key: 'decisionDefinitionKey', version: 'version' },
  { kind: 'decisionRequirements', id: 'decisionRequirementsId', key: 'decisionRequirementsKey', version: 'version' },
  { kind: 'form', id: 'formId', key: 'formKey', version: 'version' },
];

/** One row per deployed resource, whatever its kind. */
export function deploymentRows(body: { deployments?: Deployed[] }): Record<string, unknown>[] {
  return (body.deployments ?? []).flatMap((entry) =>
    KINDS.filter((k) => entry[k.kind]).map((k) => {
      const item = entry[k.kind]!;
      return { kind: k.kind, id: item[k.id], version: item[k.version], key: item[k.key], resourceName: item.resourceName };
    }),
  );
}

export function registerDeploy(program: Command, io: ClientIo): void {
  clientCommand<{ tenantId?: string }>(
    program,
    io,
    'deploy',
    'deploy BPMN, DMN and form files, all of them or none',
    (c) => c.argument('<files...>', 'the files to deploy; each file name becomes the resource name').option('--tenant-id <id>', 'the tenant to deploy for'),
    async (client, options, args) => {
      const files = args[0] as unknown as string[];
      const form = new FormData();
      for (const file of files) {
        let content: Buffer;
        try {
          content = await io.readFile(file);
        } catch (err) {
          throw new CommandFailure(`cannot read ${file}: ${(err as Error).message}`);
        }
        form.append('resources', new Blob([content]), basename(file));
      }
      if (options.tenantId !== undefined) form.append('tenantId', options.tenantId);
      const reply = await client.post('/deployments', form);
      return {
        reply,
        text: (body) =>
          `deployment ${body.deploymentKey}\n` +
          formatTable(deploymentRows(body), [{ header: 'kind' }, { header: 'id' }, { header: 'version' }, { header: 'key' }, { header: 'resourceName' }]),
      };
    },
  );
}
