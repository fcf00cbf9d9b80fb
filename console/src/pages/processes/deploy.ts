/** Deploying files through `POST /v2/deployments` (multipart, one `resources` part per file). */
import { api } from '../../lib/api';

export const DEPLOYABLE = ['.bpmn', '.dmn', '.form'] as const;

export interface Deployed {
  readonly kind: 'process' | 'decision' | 'decision requirements' | 'form';
  readonly id: string;
  readonly version: number;
  readonly key: string;
  /** The console page that shows it, when there is one. */
  readonly to?: string;
}

interface DeploymentItem {
  readonly processDefinition?: { processDefinitionId: string; processDefinitionVersion: number; processDefinitionKey: string };
  readonly decisionDefinition?: { decisionDefinitionId: string; version: number; decisionDefinitionKey: string };
  readonly decisionRequirements?: { decisionRequirementsId: string; version: number; decisionRequirementsKey: string };
  readonly form?: { formId: string; version: number; formKey: string };
}

export function isDeployable(file: File): boolean {
  const name = file.name.toLowerCase();
  return DEPLOYABLE.some((ext) => name.endsWith(ext));
}

export async function deploy(files: readonly File[]): Promise<Deployed[]> {
  const form = new FormData();
  for (const file of files) form.append('resources', file, file.name);
  const result = await api<{ deployments: DeploymentItem[] }>('POST', '/deployments', { body: form });
  return result.deployments.flatMap((item): Deployed[] => {
    const p = item.processDefinition;
    if (p) return [{ kind: 'process', id: p.processDefinitionId, version: p.processDefinitionVersion, key: p.processDefinitionKey, to: `/processes/${p.processDefinitionKey}` }];
    const d = item.decisionDefinition;
    if (d) return [{ kind: 'decision', id: d.decisionDefinitionId, version: d.version, key: d.decisionDefinitionKey, to: `/decisions/${d.decisionDefinitionKey}` }];
    const r = item.decisionRequirements;
    if (r) return [{ kind: 'decision requirements', id: r.decisionRequirementsId, version: r.version, key: r.decisionRequirementsKey }];
    const f = item.form;
    if (f) return [{ kind: 'form', id: f.formId, version: f.version, key: f.formKey }];
    return [];
  });
}
