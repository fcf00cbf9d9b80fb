/**
 * Deploy-time entry point: bytes in, immutable executable processes (or every error) out.
 * Deterministic: the engine re-compiles stored XML after a restart and must get the same result,
 * so nothing here depends on time, randomness or iteration order other than the document's.
 */
import type { CompileResult, ExecutableProcess } from './types.js';
import { compileProcess } from './compile-process.js';
import { ErrorCollector } from './error-collector.js';
import { booleanProp, elementsProp } from './moddle-element.js';
import { readBpmn } from './moddle-reader.js';
import { guardXml } from './xml-guard.js';

const DMN_NAMESPACE = /xmlns(?::\w+)?\s*=\s*["']https?:\/\/www\.omg\.org\/spec\/DMN\//;

export async function compileBpmn(resourceName: string, content: Buffer | string): Promise<CompileResult> {
  const errors = new ErrorCollector();
  const guarded = guardXml(resourceName, content);
  if (!guarded.ok) return { ok: false, errors: [{ elementId: null, message: guarded.message }] };

  if (resourceName.toLowerCase().endsWith('.dmn') || DMN_NAMESPACE.test(guarded.text.slice(0, 4096))) {
    return {
      ok: false,
      errors: [{ elementId: null, message: `Resource '${resourceName}' is a DMN document; decisions (DMN) are not supported yet` }],
    };
  }

  const read = await readBpmn(resourceName, guarded.text, errors);
  if (!read.ok) return { ok: false, errors: errors.errors };
  const { definitions, unresolved } = read.parsed;

  const executable = elementsProp(definitions, 'rootElements').filter(
    (root) => root.$type === 'bpmn:Process' && booleanProp(root, 'isExecutable') === true,
  );
  if (executable.length === 0) {
    errors.raw(null, `Resource '${resourceName}' must contain at least one executable process (isExecutable="true")`);
  }
  const processes: ExecutableProcess[] = [];
  for (const process of executable) {
    const compiled = compileProcess(process, errors, unresolved);
    if (compiled) processes.push(compiled);
  }
  if (errors.hasErrors) return { ok: false, errors: errors.errors };
  return { ok: true, resource: Object.freeze({ processes: Object.freeze(processes) }) };
}
