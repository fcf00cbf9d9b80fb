/**
 * Camunda's versions of DMN built-ins keep the DMN overloads and add their own, so the camunda
 * table's entry for such a name is the DMN function widened, never a second copy of its code.
 */
import { FeelFunction, type Signature } from '../../values/function.js';
import { BUILTINS } from '../index.js';

function dmn(name: string): FeelFunction {
  const fn = BUILTINS.get(name);
  if (fn === undefined) throw new Error(`no DMN built-in '${name}' to extend`);
  return fn;
}

/** The DMN function `name` with `extra`'s overloads tried after its own. */
export function widened(name: string, extra: FeelFunction): FeelFunction {
  return new FeelFunction(name, [...dmn(name).signatures, ...extra.signatures]);
}

/**
 * The DMN function `name` also callable with a parameter named as FEEL-Scala names it
 * (`abs(number: -1)` beside DMN's `abs(n: -1)`): named calls bind by name, so each overload is
 * repeated with the other name.
 */
export function alsoNamed(name: string, from: string, to: string): FeelFunction {
  const own = dmn(name).signatures;
  const renamed: Signature[] = own
    .filter((s) => s.params.some((p) => p.name === from))
    .map((s) => ({ ...s, params: s.params.map((p) => (p.name === from ? { ...p, name: to } : p)) }));
  return new FeelFunction(name, [...own, ...renamed]);
}
