/** PROCESS records → h_process_definition (every partition has a copy of each definition). */
import type { ProcessValue, ZenRecord } from '../../engine/records.js';
import type { Statements } from './statements.js';

export function projectProcess(record: ZenRecord, sql: Statements): void {
  const v = record.value as ProcessValue;
  if (record.intent === 'CREATED') {
    const { name, versionTag } = processAttributes(v.resource, v.bpmnProcessId);
    sql.run(
      `INSERT INTO h_process_definition (key, bpmn_process_id, name, version, version_tag, resource_name, tenant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      v.processDefinitionKey, v.bpmnProcessId, name, v.version, versionTag, v.resourceName, v.tenantId,
    );
  } else if (record.intent === 'DELETED') {
    sql.run('DELETE FROM h_process_definition WHERE key = ?', v.processDefinitionKey);
  }
}

const PROCESS_TAG = /<(?:[\w-]+:)?process\b[^>]*>/g;
const VERSION_TAG = /<(?:[\w-]+:)?versionTag\b[^>]*\bvalue="([^"]*)"/;

/**
 * The name and version tag of one process of a deployed document. The document was validated
 * at deploy; this only reads two attributes, without a full parse in the storage worker.
 */
export function processAttributes(xml: string, processId: string): { name: string | null; versionTag: string | null } {
  for (const match of xml.matchAll(PROCESS_TAG)) {
    const tag = match[0];
    if (attribute(tag, 'id') !== processId) continue;
    const end = xml.indexOf('</', match.index + tag.length);
    const versionTag = VERSION_TAG.exec(xml.slice(match.index + tag.length, end === -1 ? undefined : end))?.[1] ?? null;
    return { name: attribute(tag, 'name'), versionTag: versionTag === null ? null : unescapeXml(versionTag) };
  }
  return { name: null, versionTag: null };
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeXml(match[1]!) : null;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}
