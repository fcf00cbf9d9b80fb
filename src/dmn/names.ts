/**
 * Every name a model can bring into scope (DRG elements, item components, context entries,
 * parameters, columns, iterators). The FEEL parser needs them to read names with spaces.
 */
import type { Boxed, Definitions, ItemDefinition } from './model.js';

export function modelNames(defs: Definitions): string[] {
  const names = new Set<string>();
  const add = (n: string | undefined) => {
    if (n !== undefined && n.trim() !== '') names.add(n);
  };
  const item = (i: ItemDefinition) => {
    add(i.name);
    i.components.forEach(item);
  };
  const boxed = (b: Boxed | undefined): void => {
    if (b === undefined) return;
    switch (b.kind) {
      case 'context':
        for (const e of b.entries) {
          add(e.name);
          boxed(e.value);
        }
        return;
      case 'list':
        b.items.forEach(boxed);
        return;
      case 'relation':
        b.columns.forEach((c) => add(c.name));
        b.rows.forEach((r) => r.forEach(boxed));
        return;
      case 'invocation':
        boxed(b.callee);
        b.bindings.forEach((x) => {
          if (!x.name.includes('.')) add(x.name);
          boxed(x.value);
        });
        return;
      case 'function':
        // A parameter with a dot (`Person.Gender`) is known only inside its function, where
        // compileFunction adds it: elsewhere `Person.Gender` is a path into the `Person` input.
        b.parameters.forEach((p) => {
          if (!p.name.includes('.')) add(p.name);
        });
        boxed(b.body);
        return;
      case 'decisionTable':
        b.outputs.forEach((o) => add(o.name));
        return;
      case 'conditional':
        boxed(b.if);
        boxed(b.then);
        boxed(b.else);
        return;
      case 'for':
        add(b.variable);
        boxed(b.in);
        boxed(b.return);
        return;
      case 'every':
      case 'some':
        add(b.variable);
        boxed(b.in);
        boxed(b.satisfies);
        return;
      case 'filter':
        boxed(b.in);
        boxed(b.match);
        return;
      default:
        return;
    }
  };
  defs.itemDefinitions.forEach(item);
  defs.inputData.forEach((i) => add(i.name));
  defs.decisionServices.forEach((s) => add(s.name));
  for (const d of defs.decisions) {
    add(d.name);
    boxed(d.expression);
  }
  for (const b of defs.bkms) {
    add(b.name);
    boxed(b.logic);
  }
  for (const i of defs.imports) add(i.name);
  return [...names];
}
