/**
 * Forms (`.form` resources): form-js JSON documents that user tasks link by their `id`. The engine
 * stores them as deployed; only the id (and an optional versionTag) matter to it.
 */
import type { CompileResult } from './types.js';

export function isFormResource(resourceName: string): boolean {
  return resourceName.toLowerCase().endsWith('.form');
}

export function compileForm(resourceName: string, content: Buffer | string): CompileResult {
  const fail = (message: string): CompileResult => ({ ok: false, errors: [{ elementId: null, message }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof content === 'string' ? content : content.toString('utf8'));
  } catch (err) {
    return fail(`Failed to parse form JSON. '${resourceName}': ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(`Failed to parse form JSON. '${resourceName}': expected a JSON object`);
  }
  const { id, versionTag } = parsed as { id?: unknown; versionTag?: unknown };
  if (id === undefined || id === null) return fail('Expected the form id to be present, but none given');
  if (typeof id !== 'string') return fail(`Expected the form id to be a string, but it was ${typeof id}`);
  if (id.trim() === '') return fail('Expected the form id to be filled, but it is blank');
  const tag = typeof versionTag === 'string' && versionTag.trim() !== '' ? versionTag.trim() : null;
  return { ok: true, resource: Object.freeze({ processes: Object.freeze([]), form: Object.freeze({ id, versionTag: tag }) }) };
}
