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
import { compileForm, isFormResource } from './forms.js';
import { compileDecisionResource, isDecisionResource } from './decisions.js';

/** Any deployable resource: a form by its `.form` name, decisions by `.dmn`, otherwise BPMN. */
export async function compileResource(resourceName: string, content: Buffer | string): Promise<CompileResult> {
  if (isFormResource(resourceName)) return compileForm(resourceName, content);
  if (isDecisionResource(resourceName)) return compileDecisionResource(resourceName, content);
  return compileBpmn(resourceName, content);
}

const DMN_NAMESPACE = /["']https?:\/\/www\.omg\.org\/spec\/DMN\//;

export async function compileBpmn(resourceName: string, content: Buffer | string): Promise<CompileResult> {
  const errors = new ErrorCollector();
  const fail = (message: string): CompileResult => ({ ok: false, errors: [{ elementId: null, message }] });
  const guarded = guardXml(resourceName, content);
  if (!guarded.ok) return fail(guarded.message);
  // Zeebe tells DMN from BPMN by the resource name, as Zen does.
  const dmn = `Resource '${resourceName}' is a DMN document; deploy it under a name ending in '.dmn'`;

  const read = await readBpmn(resourceName, guarded.text, errors);
  if (!read.ok) {
    if (read.reason === 'invalid') return { ok: false, errors: errors.errors };
    return fail(
      DMN_NAMESPACE.test(guarded.text)
        ? dmn
        : `Resource '${resourceName}' is not a BPMN document (expected a bpmn:definitions root element)`,
    );
  }
  const { definitions, unresolved } = read.parsed;

  const executable = elementsProp(definitions, 'rootElements').filter(
    (root) => root.$type === 'bpmn:Process' && booleanProp(root, 'isExecutable') === true,
  );
  if (executable.length === 0) {
    errors.raw(null, `Resource '${resourceName}' must contain at least one executable process (isExecutable="true")`);
  }
  // With pools, a modeler may keep associations in the collaboration rather than in the process.
  const collaborationAssociations = elementsProp(definitions, 'rootElements')
    .filter((root) => root.$type === 'bpmn:Collaboration')
    .flatMap((collaboration) => elementsProp(collaboration, 'artifacts').filter((artifact) => artifact.$type === 'bpmn:Association'));
  const processes: ExecutableProcess[] = [];
  for (const process of executable) {
    const compiled = compileProcess(process, errors, unresolved, collaborationAssociations);
    if (compiled) processes.push(compiled);
  }
  if (errors.hasErrors) return { ok: false, errors: errors.errors };
  return { ok: true, resource: Object.freeze({ processes: Object.freeze(processes) }) };
}
