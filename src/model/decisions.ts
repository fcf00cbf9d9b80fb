/**
 * Decision resources (`.dmn`): compiled once at deployment by Zen's DMN engine. A model the
 * engine cannot compile completely (a requirement cycle, a dangling reference, a FEEL text that
 * does not compile) is refused: a decision that would only ever evaluate to null is a modelling
 * error better reported at deploy than as an incident later.
 */
import { compileDmnXml } from '../dmn/index.js';
import type { CompileResult } from './types.js';
import { guardXml } from './xml-guard.js';

export function isDecisionResource(resourceName: string): boolean {
  return resourceName.toLowerCase().endsWith('.dmn');
}

export function compileDecisionResource(resourceName: string, content: Buffer | string): CompileResult {
  const fail = (message: string): CompileResult => ({ ok: false, errors: [{ elementId: null, message }] });
  const guarded = guardXml(resourceName, content);
  if (!guarded.ok) return fail(guarded.message);
  const compiled = compileDmnXml(guarded.text);
  if (!compiled.ok) return fail(`Failed to parse the DMN resource '${resourceName}': ${compiled.message}`);
  const { model } = compiled;
  if (model.errors.length > 0) return { ok: false, errors: model.errors.map((message) => ({ elementId: null, message })) };
  const defs = model.definitions;
  if (defs.decisions.length === 0) return fail(`Expected the DMN resource '${resourceName}' to contain at least one decision, but it has none`);
  return {
    ok: true,
    resource: Object.freeze({
      processes: Object.freeze([]),
      decisionRequirements: Object.freeze({
        id: defs.id,
        name: defs.name,
        namespace: defs.namespace,
        decisions: Object.freeze(defs.decisions.map((d) => Object.freeze({ id: d.id, name: d.name, versionTag: d.versionTag ?? '' }))),
        model,
      }),
    }),
  };
}
